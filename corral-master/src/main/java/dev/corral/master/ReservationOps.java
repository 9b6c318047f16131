package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.PersistentVolume;
import dev.corral.api.v1.Resource;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * RESERVE, UNRESERVE, CREATE and DESTROY operations of an ACCEPT call, as a pure function: the offers'
 * resources after them and what the agent holds after them. A framework reserves, and makes volumes, only for
 * its own role, only from what its offers hold; anything else rejects the whole call (INVALID_ARGUMENT) before
 * anything changes.
 */
final class ReservationOps {
  private ReservationOps() {}

  /** What the operations leave: the offers' resources, and the agent's reservations and volumes. */
  record Shaped(ResourceSet offered, Reservations.Held held) {}

  static boolean touches(List<Operation> ops) {
    return ops.stream().anyMatch(op -> op.hasReserve() || op.hasUnreserve() || op.hasCreate() || op.hasDestroy());
  }

  /**
   * @param inUse the persistence ids of the agent's volumes that live tasks mount: they cannot be destroyed
   */
  static Shaped apply(String role, ResourceSet offered, Reservations.Held held, List<Operation> ops,
      Set<String> inUse) {
    ResourceSet left = offered;
    ResourceSet reserved = held.reserved();
    List<PersistentVolume> volumes = new ArrayList<>(held.volumes());
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (op.hasReserve() || op.hasUnreserve()) {
        boolean reserve = op.hasReserve();
        List<Resource> resources = reserve ? op.getReserve().getResourcesList() : op.getUnreserve().getResourcesList();
        for (int j = 0; j < resources.size(); j++) {
          Resource r = resources.get(j);
          String at = "operations[" + i + "]." + (reserve ? "reserve" : "unreserve") + ".resources[" + j + "]";
          requireOwnRole(role, r.getRole(), at);
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
              throw invalid(at + ": the offers hold no such dynamic reservation"
                  + (r.getName().equals("disk") ? " (a persistent volume's disk is freed by destroying it)" : ""));
            }
            left = left.minus(amount).plus(unreserved);
            reserved = reserved.minus(amount);
          }
        }
      } else if (op.hasCreate()) {
        List<PersistentVolume> given = op.getCreate().getVolumesList();
        for (int j = 0; j < given.size(); j++) {
          PersistentVolume v = given.get(j);
          String at = "operations[" + i + "].create.volumes[" + j + "]";
          requireOwnRole(role, v.getRole(), at);
          if (!validId(v.getPersistenceId())) {
            throw invalid(at + ".persistence_id: must be 1–200 characters of letters, digits and . _ - # : @");
          }
          if (find(volumes, v.getPersistenceId()) != null) {
            throw invalid(at + ".persistence_id: the agent already has a volume '" + v.getPersistenceId() + "'");
          }
          if (!(v.getSizeMb() > 0)) {
            throw invalid(at + ".size_mb: must be a positive number of MB");
          }
          ResourceSet disk = ResourceSet.builder().scalar("disk", role, v.getSizeMb()).build();
          if (!left.contains(disk)) {
            throw invalid(at + ": the offers hold " + left.scalar("disk", role) + " MB of disk reserved for '" + role
                + "', less than " + v.getSizeMb() + " (reserve it first, in this call or before)");
          }
          left = left.minus(disk);
          volumes.add(v);
        }
      } else if (op.hasDestroy()) {
        List<PersistentVolume> given = op.getDestroy().getVolumesList();
        for (int j = 0; j < given.size(); j++) {
          String id = given.get(j).getPersistenceId();
          String at = "operations[" + i + "].destroy.volumes[" + j + "]";
          PersistentVolume v = find(volumes, id);
          if (v == null || !v.getRole().equals(role)) {
            throw invalid(at + ".persistence_id: the agent has no volume '" + id + "' of role '" + role + "'");
          }
          if (inUse.contains(id)) {
            throw invalid(at + ": volume '" + id + "' is in use by a task; kill it first");
          }
          volumes.remove(v);
          left = left.plus(ResourceSet.builder().scalar("disk", role, v.getSizeMb()).build());
        }
      }
    }
    return new Shaped(left, new Reservations.Held(reserved, volumes));
  }

  private static void requireOwnRole(String role, String given, String at) {
    if (role.equals(ResourceSet.UNRESERVED) || !given.equals(role)) {
      throw invalid(at + ".role: a framework reserves for its own role ('" + role + "'), not '" + given + "'");
    }
  }

  private static boolean validId(String id) {
    return !id.isEmpty() && id.length() <= 200 && id.chars().allMatch(c -> (c < 128 && Character.isLetterOrDigit(c))
        || ".-_#:@".indexOf(c) >= 0) && !id.equals(".") && !id.equals("..");
  }

  static PersistentVolume find(List<PersistentVolume> volumes, String persistenceId) {
    for (PersistentVolume v : volumes) {
      if (v.getPersistenceId().equals(persistenceId)) {
        return v;
      }
    }
    return null;
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
