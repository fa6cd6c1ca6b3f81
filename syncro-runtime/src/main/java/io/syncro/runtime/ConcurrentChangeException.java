package io.syncro.runtime;

/**
 * A store refused a change because the record's merge history changed since it was read: another
 * node of a fleet sharing the store changed the same record at the same moment. Nothing was
 * written; the node works the change out again from what is stored now, and only an application
 * that writes to the store itself ever sees this.
 */
public class ConcurrentChangeException extends StorageException {
  private static final long serialVersionUID = 1L;

  public ConcurrentChangeException(String message) {
    super(message);
  }
}
