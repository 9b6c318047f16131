package dev.corral.services.engine;

import dev.corral.api.v1.Create;
import dev.corral.api.v1.Destroy;
import dev.corral.api.v1.Launch;
import dev.corral.api.v1.LaunchGroup;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.PersistentVolume;
import dev.corral.api.v1.Reserve;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.Unreserve;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.Reservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The ACCEPT operations that make and release resident instances' reservations. Pure. */
final class ReservationCalls {
  private ReservationCalls() {}

  /**
   * RESERVE the instances' resources and CREATE their volumes, then LAUNCH the tasks (and task groups: pod
   * instances) that use them.
   */
  static List<Operation> reserveAndLaunch(List<Reservation> reservations, List<TaskInfo> tasks,
      List<TaskGroupInfo> groups) {
    Reserve.Builder reserve = Reserve.newBuilder();
    Create.Builder create = Create.newBuilder();
    for (Reservation r : reservations) {
      r.scalars().forEach((name, amount) ->
          reserve.addResources(Resource.newBuilder().setName(name).setRole(r.role()).setScalar(amount)));
      for (Reservation.Volume v : r.volumes()) {
        create.addVolumes(volume(r, v));
      }
    }
    List<Operation> ops = new ArrayList<>(3);
    ops.add(Operation.newBuilder().setReserve(reserve).build());
    if (create.getVolumesCount() > 0) {
      ops.add(Operation.newBuilder().setCreate(create).build());
    }
    if (!tasks.isEmpty()) {
      ops.add(Operation.newBuilder().setLaunch(Launch.newBuilder().addAllTasks(tasks)).build());
    }
    for (TaskGroupInfo group : groups) {
      ops.add(Operation.newBuilder().setLaunchGroup(LaunchGroup.newBuilder().setTaskGroup(group)).build());
    }
    return ops;
  }

  /**
   * DESTROY the instances' volumes, then UNRESERVE what they reserved, as far as the offer (with the volumes'
   * disk given back) holds it: what it does not hold was never reserved or is gone, and is not asked for.
   */
  static List<Operation> release(Offer offer, List<Instance> instances) {
    Destroy.Builder destroy = Destroy.newBuilder();
    Map<String, Map<String, Double>> wanted = new TreeMap<>(); // role → name → amount
    for (Instance i : instances) {
      Reservation r = i.reservation();
      r.volumes().forEach(v -> destroy.addVolumes(volume(r, v)));
      r.scalars().forEach((name, amount) ->
          wanted.computeIfAbsent(r.role(), k -> new TreeMap<>()).merge(name, amount, Double::sum));
    }
    Map<String, Double> freed = new TreeMap<>();
    for (PersistentVolume v : destroy.getVolumesList()) {
      freed.merge(v.getRole(), v.getSizeMb(), Double::sum);
    }
    Unreserve.Builder unreserve = Unreserve.newBuilder();
    wanted.forEach((role, byName) -> byName.forEach((name, amount) -> {
      double held = offered(offer, name, role) + (name.equals("disk") ? freed.getOrDefault(role, 0.0) : 0);
      double give = Math.min(amount, held);
      if (give > 1e-6) {
        unreserve.addResources(Resource.newBuilder().setName(name).setRole(role).setScalar(give));
      }
    }));
    List<Operation> ops = new ArrayList<>(2);
    if (destroy.getVolumesCount() > 0) {
      ops.add(Operation.newBuilder().setDestroy(destroy).build());
    }
    if (unreserve.getResourcesCount() > 0) {
      ops.add(Operation.newBuilder().setUnreserve(unreserve).build());
    }
    return ops;
  }

  private static PersistentVolume volume(Reservation r, Reservation.Volume v) {
    return PersistentVolume.newBuilder().setPersistenceId(v.persistenceId()).setRole(r.role()).setSizeMb(v.sizeMb())
        .build();
  }

  private static double offered(Offer offer, String name, String role) {
    double sum = 0;
    for (Resource r : offer.getResourcesList()) {
      if (r.getName().equals(name) && r.getRole().equals(role)) {
        sum += r.getScalar();
      }
    }
    return sum;
  }
}
