package io.syncro.functional;

import io.syncro.SyncId;
import io.syncro.Syncable;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * A JavaBean: private fields reached through getters and setters, a UUID id that is not named
 * id, a boolean with an is-getter, a decimal that must keep every digit.
 */
@Syncable
public class Account {
  @SyncId private UUID number;
  private String holder;
  private boolean frozen;
  private BigDecimal balance;

  public UUID getNumber() {
    return number;
  }

  public void setNumber(UUID number) {
    this.number = number;
  }

  public String getHolder() {
    return holder;
  }

  public void setHolder(String holder) {
    this.holder = holder;
  }

  public boolean isFrozen() {
    return frozen;
  }

  public void setFrozen(boolean frozen) {
    this.frozen = frozen;
  }

  public BigDecimal getBalance() {
    return balance;
  }

  public void setBalance(BigDecimal balance) {
    this.balance = balance;
  }
}
