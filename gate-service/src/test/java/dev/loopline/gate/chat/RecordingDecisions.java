package dev.loopline.gate.chat;

import dev.loopline.core.auth.Caller;
import dev.loopline.gate.approval.ApprovalDecisions;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.gate.approval.ApprovalNotice.Channel;
import dev.loopline.gate.approval.ApprovalNotice.State;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the approvals side in {@link SlackProfile}: records every vote and counts it as accepted. */
@Alternative
@Singleton
public class RecordingDecisions implements ApprovalDecisions {

    /** One call of {@link #decide}. */
    public record Call(String id, boolean approve, Caller caller, Channel channel, String comment) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public List<Call> calls(String id) {
        return calls.stream().filter(c -> c.id().equals(id)).toList();
    }

    @Override
    public Optional<ApprovalNotice> find(String id) {
        return id.startsWith("missing") ? Optional.empty() : Optional.of(Notices.open(id, "https://github.com/a/b"));
    }

    @Override
    public Outcome decide(String id, boolean approve, Caller caller, Channel channel, String comment) {
        calls.add(new Call(id, approve, caller, channel, comment));
        ApprovalNotice notice = Notices.decided(
                Notices.open(id, "https://github.com/a/b"), approve ? State.MERGED : State.REJECTED, approve, comment);
        return new Outcome(true, null, (approve ? "approved" : "rejected") + " " + id + " (1 of 1)", notice);
    }
}
