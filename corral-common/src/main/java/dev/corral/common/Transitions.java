package dev.corral.common;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal moves of a lifecycle enum. Every lifecycle declares one table; anything unlisted is illegal,
 * and {@link #check} rejects it loudly.
 */
public final class Transitions<S extends Enum<S>> {
  private final Class<S> type;
  private final Map<S, Set<S>> legal;

  private Transitions(Class<S> type, Map<S, Set<S>> legal) {
    this.type = type;
    this.legal = legal;
  }

  public static <S extends Enum<S>> Builder<S> of(Class<S> type) {
    return new Builder<>(type);
  }

  public boolean allowed(S from, S to) {
    return legal.get(from).contains(to);
  }

  /** The states reachable in one step from {@code from}. */
  public Set<S> next(S from) {
    return Collections.unmodifiableSet(legal.get(from));
  }

  /** Returns {@code to} when the move is legal; otherwise throws {@link IllegalTransitionException}. */
  public S check(S from, S to) {
    if (!allowed(from, to)) {
      throw new IllegalTransitionException(type.getSimpleName() + " cannot move from " + from + " to " + to);
    }
    return to;
  }

  /** Thrown for a move the table does not list. */
  public static final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(String message) {
      super(message);
    }
  }

  public static final class Builder<S extends Enum<S>> {
    private final Class<S> type;
    private final Map<S, Set<S>> legal;

    private Builder(Class<S> type) {
      this.type = type;
      this.legal = new EnumMap<>(type);
      for (S s : type.getEnumConstants()) {
        legal.put(s, EnumSet.noneOf(type));
      }
    }

    @SafeVarargs
    public final Builder<S> from(S from, S... to) {
      for (S t : to) {
        legal.get(from).add(t);
      }
      return this;
    }

    public Transitions<S> build() {
      return new Transitions<>(type, legal);
    }
  }
}
