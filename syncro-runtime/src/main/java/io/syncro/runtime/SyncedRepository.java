package io.syncro.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncro.ScribeType;
import io.syncro.runtime.internal.Json;
import io.syncro.runtime.internal.RecordHistory;
import io.syncro.runtime.store.ClientState;
import io.syncro.runtime.store.ObjectChange;
import io.syncro.runtime.store.StoredRecord;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's door to the objects of one synced class: saves and deletes go to a
 * {@link Repository} and are recorded as scribes; scribes from peers are replayed into the same
 * repository.
 *
 * <p>A save of an object whose id is new records a create; a save of a known id records an
 * update holding only the fields that differ from the stored object (nothing, when none do).
 *
 * <p>Every change is one unit of work: the object and its scribe are both stored, or neither.
 * On a {@link Syncro} node whose objects live in its store ({@link Syncro.Builder#model(Class)})
 * they are written in one store operation, so not even a crash separates them, and the scribe is
 * pushed to peers only once both are stored. Otherwise the object is stored first and then the
 * scribe handed to the {@link ScribeRecorder}; a recorder that refuses it by throwing gets the
 * repository put back as it was.
 *
 * <p>On a node, changes merge (see the README's "Concurrent changes converge"): a save is
 * stamped after everything its record holds, a peer's change is merged into the record's
 * history and only what won is applied, and a refused change is answered with this node's state.
 *
 * <p>Thread-safe: saves, deletes and replays of one repository run one at a time, so no change is
 * compared against a state another thread is replacing.
 *
 * <p>What a change does under the merge rules is worked out by {@code RecordMerger}; the rule
 * itself lives in {@code internal/LastWriterWins}, the clock and histories in
 * {@code Convergence}. (About 1,100 lines: saves, replays, refusals, removals and the ids two
 * records claim ({@link IdConflict}: notices, re-keying, releases) share the one read of a
 * record ({@code Held}) and the one write of a change ({@code Change}); splitting the removal,
 * refusal and id-conflict paths out needs those two to stand on their own first, and is the
 * next step.)
 */
public final class SyncedRepository<T, ID> {
  private static final Logger log = LoggerFactory.getLogger(SyncedRepository.class);
  private final SyncModel<T, ID> model;
  private final Repository<T, ID> storage;
  private final ScribeRecorder recorder;
  private final ScribeAuthorizer<T> authorizer;
  /** Writes an object change and its scribe in one store operation; null when unavailable. */
  private final AtomicWriter atomicWriter;
  /** Runs what tells the application of a peer's change, once the node's store wrote it. */
  private final Consumer<Runnable> onceWritten;
  /** Stamps and merges changes, on a node; null for a repository on its own (no merging). */
  private final RecordMerger<T, ID> merger;
  /** Stores a record's history alone, for an application's repository; null without merging. */
  private final Convergence convergence;

  /**
   * @param model the class's generated model
   * @param storage where the objects live; it should keep copies, as {@link InMemoryRepository}
   *     does, or a mutated instance would be compared with itself
   * @param recorder receives each scribe recorded by a save, a delete or a replay
   */
  public SyncedRepository(
      SyncModel<T, ID> model, Repository<T, ID> storage, ScribeRecorder recorder) {
    this(model, storage, recorder, ScribeAuthorizer.recipientsOnly(model));
  }

  /**
   * A repository whose peers' changes must pass the given authorizer, instead of the default
   * {@link ScribeAuthorizer#recipientsOnly} (see {@link #replay}).
   */
  public SyncedRepository(
      SyncModel<T, ID> model,
      Repository<T, ID> storage,
      ScribeRecorder recorder,
      ScribeAuthorizer<T> authorizer) {
    this(model, storage, recorder, authorizer, null, null, Map.of(), Runnable::run);
  }

  /**
   * A node's repository; with an atomic writer when the objects live in the node's store.
   *
   * @param onceWritten runs what tells the application of a peer's change, once the node's store
   *     has written it (a page of a catch-up is written as one batch)
   */
  SyncedRepository(
      SyncModel<T, ID> model,
      Repository<T, ID> storage,
      ScribeRecorder recorder,
      ScribeAuthorizer<T> authorizer,
      AtomicWriter atomicWriter,
      Convergence convergence,
      Map<String, FieldMerge> merges,
      Consumer<Runnable> onceWritten) {
    this.onceWritten = onceWritten;
    this.model = requireNonNull(model, "model");
    this.storage = requireNonNull(storage, "storage");
    this.recorder = requireNonNull(recorder, "recorder");
    this.authorizer = requireNonNull(authorizer, "authorizer");
    this.atomicWriter = atomicWriter;
    this.convergence = convergence;
    Map<String, BinaryOperator<JsonNode>> operators = new HashMap<>();
    merges.forEach((field, merge) -> operators.put(field, merge::merge));
    this.merger = convergence == null
        ? null : new RecordMerger<>(model, convergence, Map.copyOf(operators));
  }

  /**
   * Stores a scribe and the change of the object it records in one operation of a node's store,
   * and pushes the scribe once both are in.
   */
  interface AtomicWriter {
    /**
     * @param scribe the scribe to record; null when the change records none
     * @return the scribe as stored; empty when none was (none given, or recording suspended)
     */
    Optional<Scribe> write(Scribe scribe, ObjectChange change);
  }

  /**
   * Stores the object and records its create or update.
   *
   * @return the recorded scribe; empty when nothing synced changed, the class does not record
   *     this kind of change, or recording is suspended
   * @throws IllegalArgumentException when the object has no id
   * @throws SyncroException when the scribe cannot be stored or recorded ({@link StorageException}
   *     on a failing store); nothing is stored or sent then
   */
  public synchronized Optional<Scribe> save(T object) {
    ID id = Ids.required(model, object, "save");
    // On a store other nodes share, an id this node has not seen is taken for a new record at
    // first, without a read; the store refuses the create if it is not, and the retry reads.
    boolean[] guessNew = {merger != null && storage instanceof StoredRepository
        && storedRepository().mayBeNew(id)};
    return retried(() -> {
      boolean guess = guessNew[0];
      guessNew[0] = false;
      return saveOnce(id, object, guess);
    });
  }

  private Optional<Scribe> saveOnce(ID id, T object, boolean guessNew) {
    Held held = guessNew ? absent(id) : read(id);
    Optional<T> stored = held.find();
    Optional<Scribe> scribe =
        stored.isPresent() ? model.recordUpdate(stored.get(), object) : model.recordCreate(object);
    Change change = stamped(new Change(id, stored, object, ownScribe(scribe, held)), held);
    change.guessedNew = guessNew;
    return write(change);
  }

  /**
   * Removes the object with this id and records its destroy.
   *
   * @return the recorded scribe; empty when there was no such object, the class does not record
   *     destroys, or recording is suspended
   */
  public synchronized Optional<Scribe> delete(ID id) {
    requireNonNull(id, "id");
    return retried(() -> deleteOnce(id));
  }

  private Optional<Scribe> deleteOnce(ID id) {
    Held held = read(id);
    Optional<T> stored = held.find();
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    release(held, stored); // deleting one's own record under a taken id gives it up
    return write(stamped(
        new Change(id, stored, null, ownScribe(model.recordDestroy(stored.get()), held)), held));
  }

  /**
   * The scribe of a change made here, or null when it is not to be recorded: a record whose id
   * a peer holds for another record (it refused this one's create, {@link IdConflict}) stays on
   * this node only until it is given a new id, so its changes are kept here and not sent, where
   * they would be refused, or, once the peer shares its own record of that id, taken for
   * changes of that one.
   */
  private Scribe ownScribe(Optional<Scribe> recorded, Held held) {
    return held.history != null && held.history.takenElsewhere() ? null : recorded.orElse(null);
  }

  /**
   * Gives a record a new id, as an {@link IdConflict} asks of the node whose create was refused:
   * saves {@code withNewId} (a new record, synced as any create) and takes the record under
   * {@code id} off this node only, recording nothing for it and forgetting all this node knew of
   * its history, so that the peer's record under that id, should this node later be allowed to
   * see it, arrives whole and unmixed with this one. ({@link #delete} would instead record a
   * destroy of that id, which stays in this node's history as a tombstone.)
   *
   * @return the create recorded for {@code withNewId}; empty as for {@link #save}
   * @throws IllegalArgumentException when {@code withNewId} has no id, or has {@code id}
   */
  public synchronized Optional<Scribe> rekey(ID id, T withNewId) {
    requireNonNull(id, "id");
    ID newId = Ids.required(model, withNewId, "give a new id to");
    if (newId.equals(id)) {
      throw new IllegalArgumentException("the new " + model.klass() + " has the old id " + id);
    }
    Optional<Scribe> created = save(withNewId);
    retried(() -> forgetOnce(id));
    return created;
  }

  /**
   * Tells each peer that holds this record's id for another record that this node gave its own
   * up ({@link Scribe.Notice#RELEASED}), recorded after this node's changes of it.
   */
  private void release(Held held, Optional<T> own) {
    if (held.history == null || !held.history.takenElsewhere() || own.isEmpty()) {
      return;
    }
    JsonNode idJson = (held.data() != null ? held.data() : model.toData(own.get()))
        .get(model.idField());
    for (String peer : held.history.takenBy()) {
      recorder.record(Scribe.notice(Scribe.Notice.RELEASED, model.klass(), idJson, peer));
    }
  }

  private Optional<Scribe> forgetOnce(ID id) {
    Held held = read(id);
    Optional<T> existing = held.find();
    if (existing.isEmpty() && (held.history == null || held.history.readFrom() == null)) {
      return Optional.empty();
    }
    release(held, existing);
    Change change = new Change(id, existing, null, null);
    if (held.history != null) {
      held.history.forgetAll();
      change.history = held.history;
    }
    return write(change);
  }

  /**
   * Applies a scribe of this class from a peer, and records the change as applied here (which
   * keeps the scribe's origin, so it is never sent back there).
   *
   * <p>The change is worked out first, without touching anything. When the scribe has an
   * origin (it came from a peer) and its record exists or it would create one, the repository's
   * {@link ScribeAuthorizer} decides on it, seeing the record now and as it would be: by
   * default, no client may change an existing record whose recipients leave it out.
   *
   * <p>A {@linkplain Scribe#isRemoval() removal} only deletes this repository's copy, records
   * nothing and tells the {@linkplain #onRemoved removal listeners}; a node applies removals
   * only from the peers it trusts.
   *
   * @return the recorded scribe; empty when the scribe changed nothing (see
   *     {@link SyncModel#syncPlay}), or was a removal
   * @throws InvalidScribeException when the scribe does not fit the class; nothing changed
   * @throws UnauthorizedScribeException when the peer may not make this change; nothing changed
   */
  public synchronized Optional<Scribe> replay(Scribe scribe) {
    return replay(scribe, null, cursor -> { });
  }

  /**
   * A node's replay of a peer's scribe: as {@link #replay(Scribe)}, and once it is applied the
   * peer's state with its cursor moved past it, {@code cursor}, is stored in the same store
   * operation as the change, or alone through {@code saveAlone} when nothing else is written.
   * Nothing is stored when the scribe is refused or invalid.
   */
  synchronized Optional<Scribe> replay(
      Scribe scribe, ClientState cursor, Consumer<ClientState> saveAlone) {
    if (scribe.isRemoval()) {
      removeLocally(scribe, cursor, saveAlone);
      return Optional.empty();
    }
    Optional<Scribe> recorded = retried(() -> replayOnce(scribe, cursor, saveAlone));
    if (recorded.isPresent() && !changeListeners.isEmpty()) {
      Scribe stored = recorded.get();
      onceWritten.accept(() -> tellChanged(scribe, stored));
    }
    return recorded;
  }

  private Optional<Scribe> replayOnce(
      Scribe scribe, ClientState cursor, Consumer<ClientState> saveAlone) {
    ID id = model.targetId(scribe);
    Held held = read(id);
    String from = scribe.origin().orElse(null);
    if (from != null && held.history != null && held.history.takenBy(from)) {
      held = replaceOwnRecord(scribe, from, held);
    }
    RecordMerger.Merged merged =
        merger == null ? null : merger.merge(scribe, held.history, held.data());
    Scribe toPlay = merged == null ? scribe : merged.effective();
    Change change = null;
    if (toPlay != null) {
      Staging staging = new Staging(held);
      model.syncPlay(toPlay, staging, staging);
      change = staging.change;
    }
    T current = change != null ? change.before.orElse(null) : held.find().orElse(null);
    String client = scribe.origin().orElse(null);
    if (client != null && current != null && held.history != null
        && held.history.claimedBy(client)) {
      // The client's own record holds this id there (its create was refused): until it says it
      // gave that up, what it sends of the id is of its own record, not of this one.
      throw new UnauthorizedScribeException(client + " may not " + scribe.type().wireName() + " "
          + model.klass() + " " + id + ": its own record under that id is another one");
    }
    if (client != null && (change != null || current != null)) {
      // Asked even when nothing would change (a create of an id that exists): a client must
      // not learn, or squat, records it may not see.
      T proposed = change == null ? current : change.after;
      Scribe applied = change == null ? null : change.scribe;
      // Copied and listed only if the authorizer asks: most look at the record as it is.
      ProposedChange<T> proposal = new ProposedChange<>(client, scribe, current,
          () -> proposed == null ? null : model.copy(proposed), () -> changedFields(applied));
      if (!authorizer.allows(proposal)) {
        throw new UnauthorizedScribeException(client + " may not " + scribe.type().wireName()
            + " " + model.klass() + " " + id);
      }
    }
    if (merged != null && !merged.news()) {
      // Taught this node nothing: the record and its history stay as they are, untouched (a
      // write of them as read could undo what another node of a fleet wrote meanwhile).
      change = null;
    } else if (merged != null) {
      if (change == null) {
        change = new Change(id, Optional.ofNullable(current), current, null);
      }
      change.history = merged.history();
      change.scribe = merger.passedOn(scribe, merged,
          change.after != null ? change.after : change.before.orElse(null));
    }
    if (merged != null && current == null && (change == null || change.after == null)) {
      // Stays destroyed here: the sender, and those the change is passed on to, get the destroy
      // too. Recorded first: were the change lost in a crash, the peer sends it again.
      Scribe tombstone = merger.tombstoneFor(scribe, merged.history(),
          change == null || change.scribe == null ? null : change.scribe.recipients());
      if (tombstone != null) {
        recorder.record(tombstone);
      }
    }
    if (merged != null && current == null && change != null && change.after != null
        && merger.revivedOverKeptValues(scribe, merged)) {
      // The create as it came is passed on too; the record whole, with its stamps, also goes to
      // the sender, which never gets its own change back. Recorded first, as a tombstone is.
      Recipients to = model.recipientsOf(change.after);
      recorder.record(wholeRecord(change, scribe.origin()
          .map(origin -> to.union(Recipients.of(List.of(origin)))).orElse(to)));
    }
    Optional<Scribe> written = Optional.empty();
    if (change == null) {
      // Changes nothing here: only the cursor moves.
      if (cursor != null) {
        saveAlone.accept(cursor);
      }
    } else {
      change.cursor = cursor;
      written = write(change);
      if (cursor != null && atomicWriter == null) {
        saveAlone.accept(cursor); // an application's repository: after the change, never before
      }
    }
    return written;
  }

  /**
   * A change made on this node, stamped after everything its record holds, with the record's
   * history updated to match (see {@link RecordMerger#stampLocal}). Unchanged on a repository
   * without convergence, or when nothing is recorded.
   */
  private Change stamped(Change change, Held held) {
    if (merger == null || change.scribe == null) {
      return change;
    }
    RecordMerger.Local<T> local = merger.stampLocal(
        held.history, held.dataOr(change.before), change.after, change.scribe);
    Change stamped =
        new Change(change.id, change.before, local.after(), local.scribe(), local.history());
    if (local.after() == change.after) {
      stamped.afterData = createdData(local.scribe());
    }
    return stamped;
  }

  /**
   * A create's data, which is the created object's JSON as stored (both are every synced field,
   * written by the generated code): kept so as not to write the same JSON twice. Null for an
   * update or a destroy.
   */
  private static ObjectNode createdData(Scribe scribe) {
    return scribe != null && scribe.type() == ScribeType.CREATE && scribe.data().isObject()
        ? (ObjectNode) scribe.data() : null;
  }

  /**
   * Puts a peer back in step with this node after this node refused its change (the peer keeps
   * what it did until told otherwise): this node's state of the fields the change touched is
   * recorded again, stamped now, so that it wins over the refused change on every node, the
   * peer's included. A refused destroy brings the record back there. A change of a record this
   * node does not have, or that the peer may not see, is answered with a removal handed to
   * {@code toPeerOnly}, addressed to that peer alone: it removes the peer's copy (and the fields
   * the refused edit touched are stamped again for those who see them, when its stamp is later
   * than theirs). A refused create of a record the peer may see is answered with a removal and
   * then the record whole, both for the peer alone. Without convergence (a repository on its
   * own), nothing is sent.
   *
   * @return the scribe recorded to put the peer back; empty when none was
   */
  synchronized Optional<Scribe> restoreAfterRefusal(
      Scribe refused, String client, Consumer<Scribe> toPeerOnly) {
    conflictToTell = null;
    Optional<Scribe> recorded = retried(() -> restoreOnce(refused, client, toPeerOnly));
    if (conflictToTell != null) {
      IdConflict<T, ID> conflict = conflictToTell;
      conflictToTell = null;
      tellIdConflict(conflict);
    }
    return recorded;
  }

  /** An id conflict found by the refusal under way, told once it is stored; see above. */
  private IdConflict<T, ID> conflictToTell;

  private Optional<Scribe> restoreOnce(Scribe refused, String client, Consumer<Scribe> toPeerOnly) {
    if (merger == null) {
      return Optional.empty();
    }
    ID id = model.targetId(refused);
    Held held = read(id);
    Optional<T> current = held.find();
    boolean seesIt = current.isPresent() && model.recipientsOf(current.get()).includes(client);
    if (current.isPresent() && !seesIt && held.history != null
        && (createdBy(refused, client) || held.history.claimedBy(client))) {
      return refuseTakenId(refused, client, current.get(), held);
    }
    // A client with a claim that sees the record now (it was shared with it) is put back as any
    // other: what it sent may be of its own record, sent before it gave that up, and this
    // node's state, stamped again, wins over it there too. When what it sent is this node's
    // record passed on whole (a create it did not stamp), it never got the taken notice (a
    // snapshot holds none) and merged the record into its own: it is told again first
    // (unstamped: about whatever it holds under the id), so that its own gives way, or gets a
    // new id, and it says so, instead of reviving it over this node's answer and sending it
    // again. (Not for its other changes: those may come from before it gave its own record up,
    // and it may hold this node's record now, which a notice would make it take for its own.)
    if (seesIt && held.history != null && held.history.claimedBy(client)
        && refused.type() == ScribeType.CREATE && !createdBy(refused, client)) {
      toPeerOnly.accept(Scribe.notice(Scribe.Notice.ID_TAKEN, model.klass(),
          merger.idJsonOf(refused), client));
    }
    if (!seesIt) {
      toPeerOnly.accept(merger.removalAnswering(refused, client));
      // The peer keeps its own edit, out of sight, past the removal (see removeLocally): this
      // node's values are stamped again below, for those who see them, so that no later share
      // of the record carries a stamp older than the refused edit, which would then win there.
      if (current.isEmpty() || !merger.stampedAfterFieldsItTouched(refused, held.history)) {
        return Optional.empty();
      }
    } else if (refused.type() == ScribeType.CREATE) {
      // The peer holds the record as its own create made it, stamped later than this node's:
      // nothing but a removal lowers a create stamp, and a destroy stamped in between must end
      // the record there too. So its copy is removed (its own edits of it stay known there) and
      // the record is sent whole, stamped as it is, changing nothing for anyone else, unless
      // the peer's edits are stamped later (below).
      toPeerOnly.accept(merger.removalFor(refused, client));
      toPeerOnly.accept(RecordMerger.wholeRecord(model.klass(), held.data(), held.history, null,
          Recipients.of(List.of(client))));
      if (!merger.stampedAfterFieldsItTouched(refused, held.history)) {
        toPeerOnly.accept(refusedNotice(refused, client));
        return Optional.empty();
      }
      // The peer keeps its own edits out of sight past the removal, and some are stamped after
      // this node's values: they would win over the record whole there, and the peer would pass
      // the record on whole again, refused again, for ever. Stamped again below, for those who
      // see them, this node's values win there too.
    }
    Scribe restore = merger.restoreOf(refused, current.get());
    Optional<Scribe> restored = restore == null
        ? Optional.empty()
        : write(stamped(new Change(id, current, current.get(), restore), held));
    // After what puts it back, so that the peer's application, told, sees the record as it is.
    toPeerOnly.accept(refusedNotice(refused, client));
    return restored;
  }

  /**
   * Whether a scribe is a create of a record of the client's own making: stamped by the client
   * (or unstamped, from an original peer). A create stamped by another node is a record the
   * client passes on whole (one it saw, brought back over values it kept), not a record of its
   * own: refused, that is answered as any change of a record it may not see.
   */
  private static boolean createdBy(Scribe scribe, String client) {
    return scribe.type() == ScribeType.CREATE
        && scribe.stamp().map(stamp -> stamp.node().equals(client)).orElse(true);
  }

  /** The notice that {@code client}'s change of a record it sees was refused. */
  private Scribe refusedNotice(Scribe refused, String client) {
    return Scribe.notice(Scribe.Notice.REFUSED, model.klass(), merger.idJsonOf(refused), client);
  }

  /**
   * A peer's create of an id taken by a record it may not see, or a later change of the
   * peer's own record under that id. The two are different records, so nothing changes for
   * anyone: the peer keeps its own (no removal, no restamp: what it may not see never reaches
   * it), and is told of each create (a later one is a new record of its own, made after it
   * gave the first a new id) by a notice stored for it alone, with the peer noted in the
   * record's history as one whose own record holds this id (both in one write), so that its
   * later changes of the id are refused the same way and not taken for changes of this record.
   */
  private Optional<Scribe> refuseTakenId(Scribe refused, String client, T current, Held held) {
    if (!createdBy(refused, client)) {
      return Optional.empty(); // a change of its own record: told when its create came
    }
    held.history.addClaim(client);
    JsonNode id = merger.idJsonOf(refused);
    Scribe taken = Scribe.notice(Scribe.Notice.ID_TAKEN, model.klass(), id, client);
    if (refused.stamp().isPresent()) {
      // Stamped as the create it answers: one the client made anew since is another record,
      // which this notice is not about (it may have come here after the id was free again).
      taken = taken.toBuilder().stamp(refused.stamp().get()).build();
    }
    Change notice = new Change(held.id, Optional.of(current), current, taken, held.history);
    notice.afterData = held.data();
    Optional<Scribe> stored = write(notice);
    Optional<T> theirs;
    try {
      theirs = Optional.of(model.restore((ObjectNode) refused.data()));
    } catch (RuntimeException e) {
      theirs = Optional.empty(); // replayed already, so it fits; a listener gets what there is
    }
    conflictToTell = new IdConflict<>(client, held.id, Optional.of(model.copy(current)), theirs, true);
    log.warn("refused {}'s create of {} {}: the id is taken by a record {} may not see; told it"
        + " to give its record a new id", client, model.klass(), held.id, client);
    return stored;
  }

  /**
   * A trusted peer's notice that it refused a change of this node's ({@link Scribe#notice()}):
   * nothing changes here; the application is told (and the peer's cursor moved past the notice
   * after that, so a node stopped in between is told again): the
   * {@linkplain #onIdConflict id-conflict listeners} of a create whose id is taken there, the
   * {@linkplain #onRefusedByPeer refusal listeners} of any other change.
   */
  synchronized void noticeFromPeer(Scribe notice, String peer, ClientState cursor,
      Consumer<ClientState> saveAlone) {
    ID id = model.targetId(notice);
    if (notice.notice().orElseThrow() == Scribe.Notice.ID_TAKEN && answersAnOlderCreate(notice)) {
      // This node deleted the record the peer refused and created another under the id since:
      // the peer took that one (the id was free there by then), or will judge it when it comes.
      log.debug("{} refused an earlier {} {} of this node's; the one here now is another",
          peer, model.klass(), id);
    } else if (notice.notice().orElseThrow() == Scribe.Notice.ID_TAKEN
        && notice.stamp().isEmpty() && knownTakenBy(id, peer)) {
      // Told again, unstamped (the peer repeats it when it shares its record under the id, or
      // answers a change of it, in case the first notice was lost): the application was told
      // at the first. (The first, stamped, is taken again after a crash before its cursor
      // moved, and tells the application again: it may have stopped halfway.)
      log.debug("{} holds {} {} for another record, as it said before", peer, model.klass(), id);
    } else if (notice.notice().orElseThrow() == Scribe.Notice.ID_TAKEN) {
      log.warn("{} refused this node's {} {}: the id is taken there by a record this node may not"
          + " see; it stays here only, until it is given a new id", peer, model.klass(), id);
      retried(() -> markTakenBy(id, peer, notice));
      tellIdConflict(new IdConflict<>(peer, id, find(id), Optional.empty(), false));
    } else {
      log.info("{} refused a change this node made of {} {}; its own state of it came before",
          peer, model.klass(), id);
      PeerRefusal<T, ID> refusal = new PeerRefusal<>(peer, id, find(id));
      for (Consumer<? super PeerRefusal<T, ID>> listener : refusalListeners) {
        try {
          listener.accept(refusal);
        } catch (RuntimeException e) {
          log.warn("a refusal listener of {} failed", model.klass(), e);
        }
      }
    }
    // Only now, so that a node stopped before its listeners were told is told again.
    if (cursor != null) {
      saveAlone.accept(cursor);
    }
  }

  /** Whether this node knows already that {@code peer} holds the id for another record. */
  private boolean knownTakenBy(ID id, String peer) {
    Held held = read(id);
    return held.find().isPresent() && held.history != null && held.history.takenBy(peer);
  }

  /** Whether a taken notice answers a create of this node's older than its record here now. */
  private boolean answersAnOlderCreate(Scribe notice) {
    if (merger == null || notice.stamp().isEmpty()) {
      return false;
    }
    Held held = read(model.targetId(notice));
    return held.history != null && merger.createdHereAfter(notice.stamp().get(), held.history);
  }

  /**
   * A peer gave up its own record under an id whose create this node refused as taken
   * ({@link Scribe.Notice#RELEASED}): its claim ends, so that its later changes of the id are
   * judged as changes of this node's record. Its cursor moves past the notice.
   */
  synchronized void releasedBy(Scribe notice, String peer, ClientState cursor,
      Consumer<ClientState> saveAlone) {
    ID id = model.targetId(notice);
    retried(() -> {
      Held held = read(id);
      Optional<T> current = held.find();
      if (held.history == null || !held.history.claimedBy(peer)) {
        if (cursor != null) {
          saveAlone.accept(cursor);
        }
        return Optional.<Scribe>empty();
      }
      held.history.dropClaim(peer);
      Change dropped = new Change(id, current, current.orElse(null), null, held.history);
      dropped.afterData = held.data();
      dropped.cursor = cursor;
      Optional<Scribe> written = write(dropped);
      if (cursor != null && atomicWriter == null) {
        saveAlone.accept(cursor);
      }
      return written;
    });
    log.debug("{} gave up its own {} {}: its changes of it are of this node's record now", peer,
        model.klass(), id);
  }

  /**
   * Notes in the record's history that {@code peer} holds its id for another record, so that a
   * record the peer later sends under that id is taken for the peer's, not merged into this
   * one (see {@link #replaceOwnRecord}).
   */
  private Optional<Scribe> markTakenBy(ID id, String peer, Scribe notice) {
    Held held = read(id);
    Optional<T> own = held.find();
    if (own.isEmpty()) {
      // Nothing of its own is held here under the id any more (a removal took it, or it was
      // deleted): the peer's note of a claim would only hold back this node's later changes of
      // the peer's record, once shared with it.
      recorder.record(Scribe.notice(Scribe.Notice.RELEASED, model.klass(),
          notice.data().path(0), peer));
      return Optional.empty();
    }
    if (held.history == null || held.history.takenBy(peer)) {
      return Optional.empty();
    }
    held.history.addTakenBy(peer);
    Change mark = new Change(id, own, own.get(), null, held.history);
    mark.afterData = held.data();
    return write(mark);
  }

  /**
   * A peer that refused this node's create because it holds the id for another record now sends
   * something of that record (it was shared with this node, or is passed on to it): the two
   * cannot both stay under one id, and merging them would mix two records. The application is
   * told first ({@link #onIdConflict}, with both records when the peer sent its record whole),
   * and may give its own a new id there ({@link #rekey}); whatever it still holds under the id
   * then gives way, forgotten whole, and what the peer sent is taken as about a record new here.
   *
   * @return the record as it is to be merged into: read again
   */
  private Held replaceOwnRecord(Scribe fromPeer, String peer, Held held) {
    Optional<T> own = held.find();
    Optional<T> theirs = Optional.empty();
    if (fromPeer.type() == ScribeType.CREATE) {
      try {
        theirs = Optional.of(model.restore((ObjectNode) fromPeer.data()));
      } catch (RuntimeException e) {
        theirs = Optional.empty();
      }
    }
    tellIdConflict(new IdConflict<>(peer, held.id, own.map(model::copy), theirs, false));
    Held now = read(held.id);
    if (now.find().isPresent() || (now.history != null && now.history.readFrom() != null)) {
      log.warn("{} sent word of its own {} {} to this node, whose own record of that id was not"
          + " given a new id: this node's gives way", peer, model.klass(), held.id);
      forgetOnce(held.id);
      now = read(held.id);
    }
    return now;
  }

  /**
   * Applies a removal from a peer this node trusts (see {@link Scribe#isRemoval()}): this
   * node's copy of the record, and what it learned of its history from others, are deleted,
   * without recording anything (nothing is passed on; the record goes on existing for others),
   * and the {@linkplain #onRemoved removal listeners} are told. This node's own edits of it stay
   * in its history, out of sight (see {@code RecordHistory#forgetAllBut}). A stamped removal
   * (stamped as the refused change of this node's it answers, or as the change that took this
   * node off the record's recipients) changes nothing when this node has created the record anew
   * since that stamp: that copy is another record of the same id, judged on its own when its
   * create reaches the peer. The peer's cursor moves past it in the same store operation, as for
   * any change.
   *
   * @return the copy that was removed; empty when there was none
   */
  synchronized Optional<T> removeLocally(
      Scribe removal, ClientState cursor, Consumer<ClientState> saveAlone) {
    Optional<T> removed = retried(() -> removeOnce(removal, cursor, saveAlone));
    removed.ifPresent(copy -> onceWritten.accept(() -> tellRemoved(copy)));
    return removed;
  }

  private Optional<T> removeOnce(
      Scribe removal, ClientState cursor, Consumer<ClientState> saveAlone) {
    ID id = model.targetId(removal);
    Held held = read(id);
    Optional<T> existing = held.find();
    // A stamped removal answers a change of this node's that the peer refused, or follows a
    // change that took this node off the record. A copy this node created since is judged on its
    // own (taken, or answered in turn), so it stays. (A later edit does not keep the copy: it is
    // kept out of sight, as for any removal, and the copy still carries a create the peer may
    // have refused.)
    String from = removal.origin().orElse(null);
    if (from != null && held.history != null && held.history.takenBy(from)) {
      // About the peer's record under the id, not this node's own: that gives way, as to any
      // other word of the peer's record (see replaceOwnRecord).
      held = replaceOwnRecord(removal, from, held);
      existing = held.find();
    }
    boolean answersAnOlderChange = held.history != null && removal.stamp().isPresent()
        && merger.createdHereAfter(removal.stamp().get(), held.history);
    boolean nothingHere =
        existing.isEmpty() && (held.history == null || held.history.readFrom() == null);
    if (answersAnOlderChange || nothingHere) {
      if (cursor != null) {
        saveAlone.accept(cursor);
      }
      return Optional.empty();
    }
    Change change = new Change(id, existing, null, null);
    if (held.history != null) {
      // This node's own edits stay known: one it sent before the removal came may be taken by
      // the peer after it recorded a share of the record, which would then lack it.
      release(held, existing); // a record of its own under a taken id, gone from here
      held.history.forgetAllBut(
          convergence.nodeUid(), held.dataOr(existing), merger.mergedFields());
      change.history = held.history;
    }
    change.cursor = cursor;
    write(change);
    if (cursor != null && atomicWriter == null) {
      saveAlone.accept(cursor);
    }
    return existing;
  }

  /** The key (as stores key it) of the record a scribe of this class is about. */
  String keyOfTarget(Scribe scribe) {
    return model.idKey(model.targetId(scribe));
  }

  /**
   * Removes, as a removal from this node's server would ({@link #removeLocally}), every copy
   * whose key is not among {@code kept}: after a snapshot that replaces what this node holds.
   *
   * @return how many it removed
   */
  synchronized long removeAllBut(Set<String> kept) {
    long removed = 0;
    for (T object : findAll()) {
      if (!kept.contains(model.idKey(model.idOf(object)))) {
        JsonNode id = model.toData(object).get(model.idField());
        if (removeLocally(Scribe.removal(model.klass(), id, Recipients.everyone()), null,
            state -> { }).isPresent()) {
          removed++;
        }
      }
    }
    return removed;
  }

  private final List<Consumer<? super T>> removalListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<? super IdConflict<T, ID>>> conflictListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<? super PeerRefusal<T, ID>>> refusalListeners =
      new CopyOnWriteArrayList<>();

  /**
   * Calls {@code listener} when a peer this node trusts (its server) refused a change this node
   * made of a record it still sees, as the server's rules say (say a note handed over to
   * someone else, which its former owner may read but no longer change): the record is already
   * back to the peer's state here, and the change is not kept anywhere, so an application
   * shows it as read-only, or says the edit was refused. A record this node may no longer see
   * is removed instead ({@link #onRemoved}); a create whose id was taken is told to
   * {@link #onIdConflict}. Called on the thread that applied the notice, while this repository
   * is held: keep it short.
   */
  public void onRefusedByPeer(Consumer<? super PeerRefusal<T, ID>> listener) {
    refusalListeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Calls {@code listener} with each create refused because its id was taken by a record its
   * sender may not see ({@link IdConflict}): on the node that refused it, with both records; on
   * the node whose create it was, with its own record, which stays there only until the
   * application gives it a new id ({@link #rekey}). Ids nobody can
   * guess ({@code UUID}s) make this rare; without it, someone who knows an id could keep
   * another's record off the server. On the refused node a listener is told at least once: a
   * node stopped before its listeners returned is told again ({@code ours} is then empty if the
   * record was given its new id meanwhile). Called on the thread that applied the refusal,
   * while this repository is held: keep it short; {@link #rekey} may be called from it.
   */
  public void onIdConflict(Consumer<? super IdConflict<T, ID>> listener) {
    conflictListeners.add(requireNonNull(listener, "listener"));
  }

  private void tellIdConflict(IdConflict<T, ID> conflict) {
    for (Consumer<? super IdConflict<T, ID>> listener : conflictListeners) {
      try {
        listener.accept(conflict);
      } catch (RuntimeException e) {
        log.warn("an id-conflict listener of {} failed", model.klass(), e);
      }
    }
  }
  private final List<Consumer<? super PeerChange<T, ID>>> changeListeners = new CopyOnWriteArrayList<>();

  /**
   * Calls {@code listener} with each change a peer made that this node applied (live or in a
   * catch-up), once it is stored: for example to show it. Not called for this node's own saves,
   * for a change that changed nothing here, nor for removals (see {@link #onRemoved}). Called
   * on the thread that applied the change: for a change pushed live, at once, while this
   * repository is held; for a page of a catch-up, which a node's store writes as one batch,
   * once the page is written, in the order of its changes (and of its removals, told to
   * {@link #onRemoved}), with each record as it is then.
   * A listener is never told of a change a crash could still take back, and a node stopped
   * before its listeners were told is not told again: show what the repository holds when it
   * starts. Keep it short, and hand work to another thread.
   */
  public void onPeerChange(Consumer<? super PeerChange<T, ID>> listener) {
    changeListeners.add(requireNonNull(listener, "listener"));
  }

  private void tellChanged(Scribe received, Scribe recorded) {
    ID id = model.targetId(recorded);
    PeerChange<T, ID> change = new PeerChange<>(received.origin().orElse(null), recorded.type(), id,
        find(id));
    for (Consumer<? super PeerChange<T, ID>> listener : changeListeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.warn("a change listener of {} failed", model.klass(), e);
      }
    }
  }

  /**
   * Calls {@code listener} with each copy this node loses because a peer it trusts (its server)
   * says it may no longer see the record: for example to close a screen showing it. The record
   * goes on existing for others; nothing is recorded here. (A create of an id this node's server
   * refused is removed too, and the server's record of that id follows at once if this node may
   * see it.) Called on the thread that applied the removal: at once, while this repository is
   * held, or, in a page of a catch-up, once the page is written, in order with the
   * {@linkplain #onPeerChange changes} it brought. Keep it short, and hand work to another
   * thread.
   */
  public void onRemoved(Consumer<? super T> listener) {
    removalListeners.add(requireNonNull(listener, "listener"));
  }

  private void tellRemoved(T removed) {
    for (Consumer<? super T> listener : removalListeners) {
      try {
        listener.accept(model.copy(removed));
      } catch (RuntimeException e) {
        log.warn("a removal listener of {} failed", model.klass(), e);
      }
    }
  }

  /** The fields a scribe, as applied here, sets: a create's every field, an update's changed. */
  private static Set<String> changedFields(Scribe applied) {
    if (applied == null) {
      return Set.of();
    }
    JsonNode fields = applied.type() == ScribeType.CREATE ? applied.data() : applied.data().path(1);
    Set<String> names = new LinkedHashSet<>();
    fields.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** One change of one object: what it was, what it becomes (null: removed), and its scribe. */
  private final class Change {
    final ID id;
    final Optional<T> before;
    final T after;
    Scribe scribe;
    /** The record's merge history after the change; null without convergence. */
    RecordHistory history;
    /** {@code after}'s JSON when already at hand; null to have it written from {@code after}. */
    ObjectNode afterData;
    /** The state of the peer the change came from, its cursor past it; null for none. */
    ClientState cursor;
    /** Worked out without a read, the record taken for new: written only if nothing is stored. */
    boolean guessedNew;

    Change(ID id, Optional<T> before, T after, Scribe scribe) {
      this.id = id;
      this.before = before;
      this.after = after;
      this.scribe = scribe;
    }

    Change(ID id, Optional<T> before, T after, Scribe scribe, RecordHistory history) {
      this(id, before, after, scribe);
      this.history = history;
    }
  }

  /** Stores the change and its scribe together, or neither. */
  private Optional<Scribe> write(Change change) {
    if (change.scribe != null && change.after != null
        && change.before.isPresent()) {
      change.scribe = withAccessChange(change);
      tellNewcomersTheIdIsTaken(change);
    }
    if (atomicWriter != null) {
      String key = model.idKey(change.id);
      ObjectNode afterJson = change.after == null ? null
          : change.afterData != null ? change.afterData : model.toData(change.after);
      ObjectNode created = createdData(change.scribe);
      ObjectChange objectChange = afterJson == null
          ? ObjectChange.remove(model.klass(), key)
          : ObjectChange.put(model.klass(), key, Json.sameValue(afterJson, created)
              // The create's data is the object's JSON (made here, or a peer's create taken as
              // it came): its text, written once, serves both.
              ? change.scribe.dataJson() : afterJson.toString());
      if (change.history != null) {
        // Abbreviated against the record it is stored with; written only if no other node of
        // a fleet changed the record since it was read.
        objectChange = objectChange
            .withHistory(change.history.toJsonText(afterJson, model.idField()))
            .ifHistoryStill(change.history.readFrom());
      }
      if (change.guessedNew) {
        objectChange = objectChange.ifNothingStored();
      }
      if (change.cursor != null) {
        objectChange = objectChange.withClient(change.cursor);
      }
      Optional<Scribe> written = atomicWriter.write(change.scribe, objectChange);
      if (storage instanceof StoredRepository) {
        storedRepository().stored(change.id);
      }
      return written;
    }
    if (change.after == null) {
      storage.remove(change.id);
    } else {
      storage.put(change.after);
    }
    Optional<Scribe> recorded = Optional.empty();
    if (change.scribe != null) {
      try {
        recorded = recorder.record(change.scribe);
      } catch (RuntimeException e) {
        undo(change, e);
        throw e;
      }
    }
    if (change.history != null) {
      // An application's repository is not written in one operation with the node's store:
      // the history follows the object and the scribe. A crash between them leaves the history
      // behind, and the record's next change restamps it (see the README's limits).
      convergence.saveHistory(model.klass(), model.idKey(change.id), change.history);
    }
    return recorded;
  }

  /**
   * The change's scribe, marked with how the change changed who sees its record, if it did:
   * who saw it before, and the record whole, stamped as its fields are, for those who see it
   * only from now on (see {@link Scribe#forClient}).
   */
  private Scribe withAccessChange(Change change) {
    Recipients now = model.recipientsOf(change.after);
    Recipients former = model.recipientsOf(change.before.get());
    if (former.equals(now)) {
      return change.scribe;
    }
    if (change.afterData == null) {
      change.afterData = model.toData(change.after);
    }
    ObjectNode whole = change.afterData;
    boolean newcomers = !former.isEveryone()
        && (now.isEveryone() || !former.uids().containsAll(now.uids()));
    Scribe share = newcomers ? wholeRecord(change, now) : null;
    return change.scribe.toBuilder()
        .accessChange(new Scribe.AccessChange(former, share, whole.get(model.idField())))
        .build();
  }

  /**
   * A record shared with a client whose own record holds its id there (a create of the client's
   * this node refused as taken, see {@link #refuseTakenId}): the client is told again, before the
   * share, that the id is taken, so that its own record gives way to the one shared (or the
   * application gives it a new id) and it says so, which ends its claim here. It was told when
   * its create was refused, but may never have got that notice (a client behind the history
   * kept gets a snapshot, which holds no notices): it would then merge the share into its own
   * record, and pass that on, which this node refuses for the claim, again and again.
   */
  private void tellNewcomersTheIdIsTaken(Change change) {
    Scribe.AccessChange access = change.scribe.accessChange().orElse(null);
    if (access == null || access.share() == null || change.history == null) {
      return;
    }
    Recipients now = change.scribe.recipients();
    for (String claimant : change.history.claimants()) {
      if (now.includes(claimant) && !access.formerRecipients().includes(claimant)) {
        recorder.record(
            Scribe.notice(Scribe.Notice.ID_TAKEN, model.klass(), access.recordId(), claimant));
      }
    }
  }

  /**
   * The record as a change leaves it, whole, as a create stamped as its fields are
   * ({@link RecordMerger#wholeRecord}).
   */
  private Scribe wholeRecord(Change change, Recipients to) {
    if (change.afterData == null) {
      change.afterData = model.toData(change.after);
    }
    return RecordMerger.wholeRecord(model.klass(), change.afterData, change.history,
        change.scribe == null ? null : change.scribe.stamp().orElse(null), to);
  }

  /** How many times a change is worked out again when another node changed its record. */
  private static final int ATTEMPTS = 8;

  /**
   * Runs one attempt of a change, and again while the store says that another node of a fleet
   * changed the same record meanwhile (each attempt reads it anew).
   */
  private static <R> R retried(Supplier<R> attempt) {
    for (int tries = 1; ; tries++) {
      try {
        return attempt.get();
      } catch (ConcurrentChangeException e) {
        if (tries == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Puts the repository back as it was before a change whose scribe was refused. */
  private void undo(Change change, RuntimeException cause) {
    try {
      if (change.before.isPresent()) {
        storage.put(change.before.get());
      } else {
        storage.remove(change.id);
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * What a replay hands its repository and recorder: the change is held here, not made, so it
   * can then be written with its scribe as one unit. Reads go to the real repository.
   */
  private final class Staging implements Repository<T, ID>, ScribeRecorder {
    private final Held held;
    private Scribe scribe;
    private Change change;

    Staging(Held held) {
      this.held = held;
    }

    @Override
    public Optional<Scribe> record(Scribe recorded) {
      scribe = recorded;
      return Optional.of(recorded);
    }

    @Override
    public Optional<T> find(ID id) {
      return id.equals(held.id) ? held.find() : storage.find(id);
    }

    @Override
    public List<T> findAll() {
      return storage.findAll();
    }

    @Override
    public void put(T object) {
      ID id = model.idOf(object);
      // Found again, not taken from find(): replay updates the object it found in place, and
      // the record as it was is what the authorizer sees and what an undo puts back.
      change = new Change(id, find(id), object, scribe);
      change.afterData = createdData(scribe);
    }

    @Override
    public Optional<T> remove(ID id) {
      Optional<T> existing = find(id);
      change = new Change(id, existing, null, scribe);
      return existing;
    }
  }

  /**
   * One record as one attempt at a change reads it, once. A node's stored repository reads the
   * record's JSON and its history in one store call (one round trip to Redis), and each
   * {@link #find} restores a fresh object from that JSON; another repository is asked each
   * time, and the history is read from the node's store. Nothing is read for a repository that
   * does not merge.
   */
  private final class Held {
    final ID id;
    /** The record's history as read; null without merging. */
    final RecordHistory history;
    /** Whether the record was read from a node's store: then {@code data} is all there is. */
    private final boolean stored;
    /** The record's stored JSON; null when it is not stored or not read from the store. */
    private final ObjectNode data;

    Held(ID id, RecordHistory history, boolean stored, ObjectNode data) {
      this.id = id;
      this.history = history;
      this.stored = stored;
      this.data = data;
    }

    /** The record, a fresh object that the caller may change. */
    Optional<T> find() {
      if (!stored) {
        return storage.find(id);
      }
      return data == null ? Optional.empty() : Optional.of(storedRepository().restore(data));
    }

    /** The record's JSON, only to read; null when there is no record. */
    ObjectNode data() {
      return stored ? data : storage.find(id).map(model::toData).orElse(null);
    }

    /** The record's JSON as it was before a change that found {@code before}. */
    ObjectNode dataOr(Optional<T> before) {
      return stored ? data : before.map(model::toData).orElse(null);
    }
  }

  private Held read(ID id) {
    if (merger == null) {
      return new Held(id, null, false, null);
    }
    String key = model.idKey(id);
    if (storage instanceof StoredRepository) {
      StoredRecord record = storedRepository().findWithHistory(id);
      ObjectNode data = record.json() == null ? null : storedRepository().data(record.json());
      return new Held(id,
          Convergence.history(model.klass(), key, record.history(), data, model.idField()),
          true, data);
    }
    return new Held(id, convergence.history(model.klass(), key), false, null);
  }

  /**
   * The record read as absent, without reading it: what {@link #read} gives when the store
   * holds neither the record nor its history. A change worked out from it is written only if
   * that is still so (see {@link StoredRepository#mayBeNew}).
   */
  private Held absent(ID id) {
    return new Held(id, Convergence.history(model.klass(), model.idKey(id), null, null,
        model.idField()), true, null);
  }

  private StoredRepository<T, ID> storedRepository() {
    return (StoredRepository<T, ID>) storage;
  }

  /** The repository, when its objects live in the node's store; null when they do not. */
  StoredRepository<T, ID> storedOrNull() {
    return storage instanceof StoredRepository ? storedRepository() : null;
  }

  public Optional<T> find(ID id) {
    return storage.find(id);
  }

  public List<T> findAll() {
    return storage.findAll();
  }

  public SyncModel<T, ID> model() {
    return model;
  }
}
