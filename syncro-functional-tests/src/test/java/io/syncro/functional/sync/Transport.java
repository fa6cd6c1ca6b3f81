package io.syncro.functional.sync;

import io.syncro.runtime.Syncro;

/** The transports every sync test runs over. */
enum Transport {
  PIPE {
    @Override
    Link connect(Syncro server, String serverUid, Syncro client, String clientUid) {
      return new Pipe(server, clientUid, client, serverUid);
    }
  },
  TCP {
    @Override
    Link connect(Syncro server, String serverUid, Syncro client, String clientUid) {
      return new TcpLink(server, serverUid, client, clientUid);
    }
  };

  /** Connects a client node to a server node; {@link Link#first()} is the server's session. */
  abstract Link connect(Syncro server, String serverUid, Syncro client, String clientUid);
}
