package io.syncro.runtime;

/**
 * A change too large to record: its scribe would not fit in one protocol frame (65,535 bytes of
 * JSON), so no peer could ever receive it. Nothing was recorded or stored.
 */
public class ScribeTooLargeException extends SyncroException {
  private static final long serialVersionUID = 1L;

  public ScribeTooLargeException(String message) {
    super(message);
  }
}
