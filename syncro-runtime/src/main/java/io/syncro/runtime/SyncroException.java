package io.syncro.runtime;

/**
 * The root of every exception Syncro throws. Its subtypes say whose fault a failure is:
 * {@link InvalidScribeException} for bad data from a peer, {@link SyncroConfigurationException}
 * for an application set up wrongly.
 */
public class SyncroException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SyncroException(String message) {
    super(message);
  }

  public SyncroException(String message, Throwable cause) {
    super(message, cause);
  }
}
