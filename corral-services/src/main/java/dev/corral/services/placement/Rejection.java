package dev.corral.services.placement;

/** One offer's refusal of an app's instance: the reason and a sentence a user can act on. */
public record Rejection(RejectReason reason, String detail) {}
