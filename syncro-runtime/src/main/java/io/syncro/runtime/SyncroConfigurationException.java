package io.syncro.runtime;

/**
 * The application is set up wrongly: a model class without generated code, a method of the
 * model that broke its contract. The message says what to change.
 */
public class SyncroConfigurationException extends SyncroException {
  private static final long serialVersionUID = 1L;

  public SyncroConfigurationException(String message) {
    super(message);
  }

  public SyncroConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
