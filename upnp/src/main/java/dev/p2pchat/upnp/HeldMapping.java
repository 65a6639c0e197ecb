package dev.p2pchat.upnp;

import java.io.IOException;

/** One protocol's mapping, kept alive on the router until closed; what happens goes to {@link Events}. */
interface HeldMapping {
  /** What happens to a held mapping, reported from a background thread. */
  interface Events {
    /** The router confirmed the mapping (a check or a renewal). */
    void checked(Mapping now);

    /** The router had forgotten the mapping (it rebooted) and it was made again. */
    void restored(Mapping before, Mapping now);

    /** The address peers dial changed. */
    void changed(Mapping before, Mapping now);

    /** A check, renewal or restore failed; the held mapping keeps trying at its next check. */
    void failed(Mapping last, IOException why);
  }

  /** The mapping as last granted. */
  Mapping mapping();

  /** The router announced a restart or a new address: renew or check now, where supported. */
  void checkNow();

  /** Stops the checks and deletes the mapping from the router; never throws. */
  void close();
}
