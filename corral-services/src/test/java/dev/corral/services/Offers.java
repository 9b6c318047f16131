package dev.corral.services;

import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Range;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.Unavailability;
import java.time.Duration;
import java.time.Instant;

/** Builds offers for tests: {@code Offers.offer("o1", "host-a").cpus(4).mem(4096).ports(31000, 31100).build()}. */
public final class Offers {
  private final Offer.Builder b;

  private Offers(String offerId, String host) {
    b = Offer.newBuilder().setOfferId(offerId).setAgentId("agent-" + host).setHostname(host).setFrameworkId("fw-1");
  }

  public static Offers offer(String offerId, String host) {
    return new Offers(offerId, host);
  }

  /** A roomy offer: 8 cpus, 8 GB, 10 GB disk, ports 31000-31999. */
  public static Offer big(String offerId, String host) {
    return offer(offerId, host).cpus(8).mem(8192).disk(10240).ports(31000, 31999).build();
  }

  public Offers cpus(double v) {
    return scalar("cpus", v, "*");
  }

  public Offers mem(double v) {
    return scalar("mem", v, "*");
  }

  public Offers disk(double v) {
    return scalar("disk", v, "*");
  }

  public Offers gpus(double v) {
    return scalar("gpus", v, "*");
  }

  public Offers scalar(String name, double v, String role) {
    b.addResources(Resource.newBuilder().setName(name).setScalar(v).setRole(role));
    return this;
  }

  public Offers ports(long begin, long end) {
    return ports(begin, end, "*");
  }

  public Offers ports(long begin, long end, String role) {
    b.addResources(Resource.newBuilder().setName("ports").setRole(role)
        .addRanges(Range.newBuilder().setBegin(begin).setEnd(end)));
    return this;
  }

  /** A free persistent volume of the agent, as the master offers it. */
  public Offers volume(String persistenceId, String role, double sizeMb) {
    b.addVolumes(dev.corral.api.v1.PersistentVolume.newBuilder().setPersistenceId(persistenceId).setRole(role)
        .setSizeMb(sizeMb));
    return this;
  }

  public Offers attribute(String name, String value) {
    b.addAttributes(Attribute.newBuilder().setName(name).setText(value));
    return this;
  }

  /** A maintenance window of the agent from {@code start}; {@code duration} null means no announced end. */
  public Offers unavailable(Instant start, Duration duration) {
    Unavailability.Builder u = Unavailability.newBuilder().setStartMillis(start.toEpochMilli());
    if (duration != null) {
      u.setDurationMillis(duration.toMillis());
    }
    b.setUnavailability(u);
    return this;
  }

  public Offer build() {
    return b.build();
  }
}
