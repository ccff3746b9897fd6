package dev.loopline.gate.pr;

import dev.loopline.gate.approval.ApprovalNotice;
import java.io.IOException;

/** A Git host's pull or merge requests for the gate's approval branches. Calls may block; failures throw. */
public interface PullRequestProvider {

    /** Opens the pull request of the request's branch onto its base; a request that exists already is fine. */
    void open(ApprovalNotice notice) throws IOException;

    /** Comments the outcome on the pull request and closes it unless the change was merged. */
    void close(ApprovalNotice notice) throws IOException;
}
