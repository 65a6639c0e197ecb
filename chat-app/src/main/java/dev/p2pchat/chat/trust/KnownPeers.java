package dev.p2pchat.chat.trust;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import dev.p2pchat.protocol.HostPort;
import dev.p2pchat.protocol.Nicknames;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers this identity has met: fingerprint, last nick, last listening addresses, first and
 * last seen, kept in a JSON file readable by its owner only and replaced whole on every change.
 * At most {@value #MAX_PEERS} peers (the least recently seen go first) with
 * {@value #MAX_ADDRESSES} addresses each; an address belongs to one peer at a time. A file that
 * cannot be read is kept aside and the node starts with no known peers, saying so.
 */
public final class KnownPeers {
  public static final int MAX_PEERS = 1000;
  public static final int MAX_ADDRESSES = 4;
  /** Far above what {@link #MAX_PEERS} peers take (about 300 bytes each); larger is corrupt. */
  static final long MAX_FILE_BYTES = 4L << 20;

  private static final Logger log = LoggerFactory.getLogger(KnownPeers.class);
  private static final int VERSION = 1;
  private static final Gson GSON = new Gson();

  /** One remembered peer; {@code nick} is empty until its hello was seen. */
  public record KnownPeer(Fingerprint fingerprint, Optional<String> nick, List<HostPort> addresses,
      Instant firstSeen, Instant lastSeen) {
    public KnownPeer {
      nick.flatMap(Nicknames::problem).ifPresent(problem -> {
        throw new IllegalArgumentException(problem);
      });
      addresses = List.copyOf(addresses);
    }
  }

  /** The file's form, as gson reads and writes it. */
  private record FileForm(int version, List<Entry> peers) {}

  private record Entry(String fingerprint, String nick, List<String> addresses, String firstSeen,
      String lastSeen) {}

  private final Path file;
  private final Clock clock;
  private final int maxPeers;
  private final Map<Fingerprint, KnownPeer> peers; // least recently seen first
  private final Optional<String> loadProblem;

  private KnownPeers(Path file, Clock clock, int maxPeers, Map<Fingerprint, KnownPeer> peers,
      Optional<String> loadProblem) {
    this.file = file;
    this.clock = clock;
    this.maxPeers = maxPeers;
    this.peers = peers;
    this.loadProblem = loadProblem;
  }

  /**
   * Reads {@code file}, or starts empty if there is none. A file that is not what this class
   * writes is moved to {@code FILE.corrupt-TIME} and {@link #loadProblem()} says so; only I/O
   * errors on the directory itself are thrown.
   */
  public static KnownPeers load(Path file, Clock clock) throws IOException {
    return load(file, clock, MAX_PEERS);
  }

  static KnownPeers load(Path file, Clock clock, int maxPeers) throws IOException {
    try {
      return new KnownPeers(file, clock, maxPeers, read(file, maxPeers), Optional.empty());
    } catch (NoSuchFileException e) {
      return new KnownPeers(file, clock, maxPeers, new LinkedHashMap<>(), Optional.empty());
    } catch (CorruptFileException e) {
      Path backup = file.resolveSibling(file.getFileName() + ".corrupt-"
          + clock.instant().toString().replace(':', '-'));
      Files.move(file, backup);
      String problem = file + " could not be read (" + e.getMessage() + "). It is kept as "
          + backup + " and this node starts with no known peers: every peer is new to it again,"
          + " so compare fingerprints again";
      log.warn(problem);
      return new KnownPeers(file, clock, maxPeers, new LinkedHashMap<>(), Optional.of(problem));
    }
  }

  /** Why the file was set aside on loading, for the user; empty if it was read or absent. */
  public Optional<String> loadProblem() {
    return loadProblem;
  }

  public synchronized Optional<KnownPeer> byFingerprint(Fingerprint fingerprint) {
    return Optional.ofNullable(peers.get(fingerprint));
  }

  /** The peer last seen listening at {@code address}. */
  public synchronized Optional<KnownPeer> byAddress(HostPort address) {
    return peers.values().stream().filter(peer -> peer.addresses().contains(address)).findFirst();
  }

  /** All known peers, the most recently seen first. */
  public synchronized List<KnownPeer> all() {
    List<KnownPeer> all = new ArrayList<>(peers.values());
    all.sort(Comparator.comparing(KnownPeer::lastSeen).reversed());
    return all;
  }

  /**
   * Records that the peer with {@code fingerprint} was seen now, under {@code nick} if known,
   * listening at {@code address} if known (which then no longer belongs to any other peer).
   */
  public synchronized void remember(Fingerprint fingerprint, Optional<String> nick,
      Optional<HostPort> address) throws IOException {
    KnownPeer before = peers.get(fingerprint);
    Instant now = clock.instant();
    List<HostPort> addresses = new ArrayList<>();
    address.ifPresent(addresses::add);
    if (before != null) {
      before.addresses().stream().filter(a -> !addresses.contains(a)).forEach(addresses::add);
    }
    KnownPeer seen = new KnownPeer(fingerprint, // checks the nick before anything changes
        nick.isPresent() || before == null ? nick : before.nick(),
        addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES)),
        before == null ? now : before.firstSeen(), now);
    address.ifPresent(this::takeAwayFromOthers);
    peers.remove(fingerprint);
    peers.put(fingerprint, seen);
    dropLeastRecentlySeen();
    save();
  }

  /**
   * The user accepts {@code key} at {@code address} on purpose ({@code /trust}): the address is
   * taken from the peer remembered there, which is forgotten if it has no address left (its key
   * is replaced, and the new key inherits its nick if it has none). Returns the replaced keys.
   */
  public synchronized List<Fingerprint> trust(HostPort address, Fingerprint key)
      throws IOException {
    Optional<String> replacedNick = byAddress(address).filter(p -> !p.fingerprint().equals(key))
        .flatMap(KnownPeer::nick);
    List<Fingerprint> replaced = takeAwayFromOthers(address);
    replaced.remove(key);
    replaced.removeIf(fingerprint -> !peers.get(fingerprint).addresses().isEmpty());
    replaced.forEach(peers::remove);
    Optional<String> nick = byFingerprint(key).flatMap(KnownPeer::nick).or(() -> replacedNick);
    remember(key, nick, Optional.of(address));
    return replaced;
  }

  /**
   * The decision for a peer this node dialled at {@code address}: the key in the token the user
   * pasted if any, else the key remembered at that address, else any key this identity knows
   * (a known peer moved), else trust on first use.
   */
  public PeerVerifier verifierForDialled(HostPort address, Optional<Fingerprint> fromToken) {
    String where = address.toString();
    if (fromToken.isPresent()) {
      return PeerVerifier.expecting(where, fromToken.get(), "the token you pasted");
    }
    return presented -> {
      Optional<KnownPeer> there = byAddress(address);
      if (there.isPresent()) {
        KnownPeer peer = there.get();
        return PeerVerifier.expecting(where, peer.fingerprint(), "remembered for "
            + peer.nick().orElse("the peer") + " at this address since " + peer.firstSeen())
            .verify(presented);
      }
      return verifierForAccepted().verify(presented);
    };
  }

  /** The decision for a peer that connected to this node: known by its key, or new. */
  public PeerVerifier verifierForAccepted() {
    return presented -> byFingerprint(presented).isPresent()
        ? Verdict.known(presented)
        : Verdict.firstUse(presented);
  }

  /** Removes {@code address} from every peer; returns those that had it. */
  private List<Fingerprint> takeAwayFromOthers(HostPort address) {
    List<Fingerprint> had = new ArrayList<>();
    peers.replaceAll((fingerprint, peer) -> {
      if (!peer.addresses().contains(address)) return peer;
      had.add(fingerprint);
      List<HostPort> rest = new ArrayList<>(peer.addresses());
      rest.remove(address);
      return new KnownPeer(fingerprint, peer.nick(), rest, peer.firstSeen(), peer.lastSeen());
    });
    return had;
  }

  private void dropLeastRecentlySeen() {
    while (peers.size() > maxPeers) {
      Fingerprint oldest = all().get(peers.size() - 1).fingerprint();
      peers.remove(oldest);
    }
  }

  private void save() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (KnownPeer peer : peers.values()) {
      entries.add(new Entry(peer.fingerprint().toString(), peer.nick().orElse(null),
          peer.addresses().stream().map(HostPort::toString).toList(),
          peer.firstSeen().toString(), peer.lastSeen().toString()));
    }
    OwnerOnlyFiles.writeAtomically(file, out -> {
      JsonWriter json = GSON.newJsonWriter(out);
      json.setIndent("  ");
      GSON.toJson(new FileForm(VERSION, entries), FileForm.class, json);
      json.flush();
    });
  }

  private static Map<Fingerprint, KnownPeer> read(Path file, int maxPeers) throws IOException {
    OwnerOnlyFiles.restrict(file).ifPresent(log::warn);
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new CorruptFileException("larger than " + MAX_FILE_BYTES + " bytes");
    }
    FileForm form;
    try (InputStream in = Files.newInputStream(file);
        JsonReader json = new JsonReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      json.setStrictness(Strictness.STRICT);
      form = GSON.fromJson(json, FileForm.class);
    } catch (JsonParseException | IllegalStateException e) {
      Throwable reason = e.getCause() == null ? e : e.getCause(); // gson wraps the reader's
      throw new CorruptFileException("not the JSON this node writes: "
          + reason.getMessage().lines().findFirst().orElse(""));
    }
    if (form == null || form.version() != VERSION || form.peers() == null) {
      throw new CorruptFileException("not a version " + VERSION + " list of peers");
    }
    Map<Fingerprint, KnownPeer> peers = new LinkedHashMap<>();
    for (Entry entry : form.peers()) {
      KnownPeer peer = peer(entry);
      if (peers.put(peer.fingerprint(), peer) != null) {
        throw new CorruptFileException("peer " + entry.fingerprint() + " is listed twice");
      }
    }
    List<KnownPeer> byLastSeen = new ArrayList<>(peers.values());
    byLastSeen.sort(Comparator.comparing(KnownPeer::lastSeen));
    peers.clear();
    byLastSeen.subList(Math.max(0, byLastSeen.size() - maxPeers), byLastSeen.size())
        .forEach(peer -> peers.put(peer.fingerprint(), peer));
    return peers;
  }

  private static KnownPeer peer(Entry entry) throws CorruptFileException {
    try {
      if (entry == null || entry.fingerprint() == null || entry.addresses() == null
          || entry.firstSeen() == null || entry.lastSeen() == null) {
        throw new CorruptFileException("a peer lacks its fingerprint, addresses or times");
      }
      if (entry.addresses().size() > MAX_ADDRESSES) {
        throw new CorruptFileException("a peer has more than " + MAX_ADDRESSES + " addresses");
      }
      List<HostPort> addresses = new ArrayList<>();
      for (String address : entry.addresses()) addresses.add(HostPort.parse(address));
      return new KnownPeer(Fingerprint.parse(entry.fingerprint()),
          Optional.ofNullable(entry.nick()), addresses, Instant.parse(entry.firstSeen()),
          Instant.parse(entry.lastSeen()));
    } catch (TokenFormatException | IllegalArgumentException | DateTimeParseException e) {
      throw new CorruptFileException("peer " + entry.fingerprint() + ": " + e.getMessage());
    }
  }

  /** The file is not what {@link #save} writes. */
  private static final class CorruptFileException extends IOException {
    CorruptFileException(String message) {
      super(message);
    }
  }
}
