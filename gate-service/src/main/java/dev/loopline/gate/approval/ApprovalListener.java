package dev.loopline.gate.approval;

/**
 * Told when an approval request opens and when it reaches a final state: posts the Slack message, calls outbound
 * webhooks, opens or closes the pull request. A listener must not throw for a failed delivery: it logs and counts the
 * failure, because a chat outage must never block or undo a decision.
 */
public interface ApprovalListener {

    void opened(ApprovalNotice notice);

    void decided(ApprovalNotice notice);
}
