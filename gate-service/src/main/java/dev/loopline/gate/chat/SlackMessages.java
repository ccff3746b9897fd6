package dev.loopline.gate.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.loopline.gate.approval.ApprovalNotice;
import dev.loopline.schemas.events.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Block Kit messages for an approval request: while open, its summary, findings, Approve and Reject buttons
 * (whose {@code value} is the request id) and a dashboard link; once decided, the outcome and who voted, without
 * buttons. Everything the maker or checker wrote is escaped ({@code & < >}) so it cannot forge links or mentions.
 */
public final class SlackMessages {

    public static final String APPROVE_ACTION = "loopline_approve";
    public static final String REJECT_ACTION = "loopline_reject";

    private static final int MAX_FINDINGS = 10;
    private static final int MAX_SECTION_CHARS = 2900;

    /** A chat.postMessage / chat.update / incoming-webhook body. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String channel, String ts, String text, List<Block> blocks) {
        public Message in(String newChannel, String newTs) {
            return new Message(newChannel, newTs, text, blocks);
        }
    }

    /** A layout block: header, section, actions or context. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Block(
            String type,
            @JsonProperty("block_id") String blockId,
            Text text,
            List<Text> fields,
            List<Object> elements) {}

    /** A text object: {@code plain_text} or {@code mrkdwn}. */
    public record Text(String type, String text) {
        static Text plain(String text) {
            return new Text("plain_text", truncate(text, 150));
        }

        static Text markdown(String text) {
            return new Text("mrkdwn", truncate(text, MAX_SECTION_CHARS));
        }
    }

    /** A button; {@code value} goes back to us in the block_actions payload. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Button(
            String type,
            Text text,
            @JsonProperty("action_id") String actionId,
            String value,
            String style,
            String url) {}

    private SlackMessages() {}

    /** The message for a request: with buttons while open, with the outcome once final. */
    public static Message of(ApprovalNotice n) {
        boolean open = n.state() == ApprovalNotice.State.OPEN;
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block(
                "header",
                null,
                Text.plain((open ? "Approval needed: " : outcome(n.state()) + ": ") + n.loopId()),
                null,
                null));
        blocks.add(new Block(
                "section",
                "summary",
                Text.markdown("*Summary*\n" + escape(n.summary() == null ? "(none)" : n.summary())),
                List.of(
                        Text.markdown("*Team*\n" + escape(n.team())),
                        Text.markdown("*Tick*\n" + escape(n.tickId()) + " (attempt " + n.attempt() + ")"),
                        Text.markdown("*Branch*\n`" + escape(n.branch()) + "` → `" + escape(n.baseRef()) + "`"),
                        Text.markdown("*Triggered by*\n" + escape(n.triggeredBy())),
                        Text.markdown("*Quorum*\n" + approvals(n) + " of " + n.quorum()),
                        Text.markdown("*Request*\n`" + escape(n.id()) + "`")),
                null));
        blocks.add(new Block("section", "findings", Text.markdown(findings(n.findings())), null, null));
        if (open) {
            List<Object> buttons = new ArrayList<>();
            buttons.add(new Button("button", Text.plain("Approve"), APPROVE_ACTION, n.id(), "primary", null));
            buttons.add(new Button("button", Text.plain("Reject"), REJECT_ACTION, n.id(), "danger", null));
            if (n.dashboardUrl() != null) {
                buttons.add(new Button(
                        "button", Text.plain("Open in dashboard"), "loopline_open", n.id(), null, n.dashboardUrl()));
            }
            blocks.add(new Block("actions", "decide", null, null, buttons));
            blocks.add(new Block(
                    "context",
                    "how",
                    null,
                    null,
                    List.of(Text.markdown("Or `/loopline approve " + escape(n.id()) + " [comment]`, `/loopline reject "
                            + escape(n.id()) + " <comment>`; expires " + n.expiresAt()))));
        } else {
            blocks.add(new Block("section", "outcome", Text.markdown(decided(n)), null, null));
        }
        return new Message(null, null, fallbackText(n), List.copyOf(blocks));
    }

    /** The notification text (shown where blocks are not: notifications, old clients). */
    static String fallbackText(ApprovalNotice n) {
        String what = n.state() == ApprovalNotice.State.OPEN ? "Approval needed" : outcome(n.state());
        return escape(what + " for loop " + n.loopId() + " (team " + n.team() + "), request " + n.id());
    }

    static String outcome(ApprovalNotice.State state) {
        return switch (state) {
            case OPEN -> "Open";
            case MERGED -> "Approved and merged";
            case REJECTED -> "Rejected";
            case EXPIRED -> "Expired";
            case VOIDED -> "Voided";
        };
    }

    private static String decided(ApprovalNotice n) {
        StringBuilder text = new StringBuilder("*").append(outcome(n.state())).append("*");
        if (n.reason() != null) {
            text.append(": ").append(escape(n.reason()));
        }
        for (ApprovalNotice.Vote v : n.votes()) {
            text.append("\n• ")
                    .append(v.approve() ? "approved" : "rejected")
                    .append(" by ")
                    .append(escape(v.by()))
                    .append(" via ")
                    .append(v.channel().name().toLowerCase(Locale.ROOT));
            if (v.comment() != null && !v.comment().isBlank()) {
                text.append(": ").append(escape(v.comment()));
            }
        }
        return text.toString();
    }

    private static long approvals(ApprovalNotice n) {
        return n.votes().stream().filter(ApprovalNotice.Vote::approve).count();
    }

    private static String findings(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "*Findings*\nnone";
        }
        StringBuilder text =
                new StringBuilder("*Findings* (").append(findings.size()).append(")");
        findings.stream().limit(MAX_FINDINGS).forEach(f -> {
            text.append("\n• ");
            if (f.severity() != null) {
                text.append('[')
                        .append(f.severity().name().toLowerCase(Locale.ROOT))
                        .append("] ");
            }
            text.append(escape(f.ruleId())).append(": ").append(escape(f.message()));
            if (f.file() != null) {
                text.append(" (`").append(escape(f.file()));
                if (f.line() != null) {
                    text.append(':').append(f.line());
                }
                text.append("`)");
            }
        });
        if (findings.size() > MAX_FINDINGS) {
            text.append("\n… and ").append(findings.size() - MAX_FINDINGS).append(" more in the dashboard");
        }
        return text.toString();
    }

    /** Slack's three control characters in mrkdwn; anything else is shown as written. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
