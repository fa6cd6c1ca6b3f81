package io.syncro.runtime.store;

/** The store contract, on the in-memory store. */
class MemoryStoreContractTest extends ScribeStoreContract {

  @Override
  protected ScribeStore openNew() {
    return new MemoryStore();
  }

  @Override
  protected ScribeStore reopen(ScribeStore closed) {
    return null;
  }
}
