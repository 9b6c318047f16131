package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.Resource;
import io.grpc.Status;
import java.util.List;

/**
 * RESERVE and UNRESERVE operations of an ACCEPT call, as a pure function: the offers' resources after them and
 * the agent's dynamic reservations after them. A framework reserves only for its own role, only scalars, only
 * what its offers hold; anything else rejects the whole call (INVALID_ARGUMENT) before anything changes.
 */
final class ReservationOps {
  private ReservationOps() {}

  /** Returns {@code [offered after, reservations after]}. */
  static ResourceSet[] apply(String role, ResourceSet offered, ResourceSet reservations, List<Operation> ops) {
    ResourceSet left = offered;
    ResourceSet reserved = reservations;
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (!op.hasReserve() && !op.hasUnreserve()) {
        continue;
      }
      boolean reserve = op.hasReserve();
      List<Resource> resources = reserve ? op.getReserve().getResourcesList() : op.getUnreserve().getResourcesList();
      for (int j = 0; j < resources.size(); j++) {
        Resource r = resources.get(j);
        String at = "operations[" + i + "]." + (reserve ? "reserve" : "unreserve") + ".resources[" + j + "]";
        if (role.equals(ResourceSet.UNRESERVED) || !r.getRole().equals(role)) {
          throw invalid(at + ".role: a framework reserves for its own role ('" + role + "'), not '" + r.getRole() + "'");
        }
        if (r.getRangesCount() > 0 || !(r.getScalar() > 0)) {
          throw invalid(at + ".scalar: must be a positive amount (only scalars can be reserved)");
        }
        ResourceSet amount = ResourceSet.builder().scalar(r.getName(), role, r.getScalar()).build();
        ResourceSet unreserved = ResourceSet.builder().scalar(r.getName(), ResourceSet.UNRESERVED, r.getScalar()).build();
        if (reserve) {
          if (!left.contains(unreserved)) {
            throw invalid(at + ": the offers hold " + left.scalar(r.getName(), ResourceSet.UNRESERVED) + " unreserved "
                + r.getName() + ", less than " + r.getScalar());
          }
          left = left.minus(unreserved).plus(amount);
          reserved = reserved.plus(amount);
        } else {
          if (!left.contains(amount) || !reserved.contains(amount)) {
            throw invalid(at + ": the offers hold no such dynamic reservation");
          }
          left = left.minus(amount).plus(unreserved);
          reserved = reserved.minus(amount);
        }
      }
    }
    return new ResourceSet[] {left, reserved};
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
