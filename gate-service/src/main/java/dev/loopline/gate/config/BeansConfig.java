package dev.loopline.gate.config;

import dev.loopline.core.io.Git;
import dev.loopline.gate.approval.ApprovalListener;
import dev.loopline.gate.messaging.ApprovalEventProducer;
import dev.loopline.gate.repository.ApprovalRepository;
import dev.loopline.gate.repository.SlackMessageRepository;
import dev.loopline.gate.repository.TargetRepository;
import dev.loopline.gate.service.ApprovalService;
import dev.loopline.gate.service.GateControl;
import dev.loopline.gate.service.GateService;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the framework-free gate classes; they stay plain so tests build them against temp repos. */
public class BeansConfig {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    TargetRepository targetRepository(GateConfig config) {
        return new TargetRepository(new Git("git", config.gitTimeout()), config.workDir());
    }

    @Produces
    @Singleton
    GateService gateService(TargetRepository target, GateConfig config) {
        return new GateService(
                target, config.identity().name(), config.identity().email());
    }

    @Produces
    @Singleton
    ApprovalRepository approvalRepository(AgroalDataSource dataSource) {
        return new ApprovalRepository(dataSource);
    }

    /** Where each request's Slack message is, shared by every replica. */
    @Produces
    @Singleton
    SlackMessageRepository slackMessageRepository(AgroalDataSource dataSource) {
        return new SlackMessageRepository(dataSource);
    }

    /** Also the {@link dev.loopline.gate.approval.ApprovalDecisions} every channel decides through. */
    @Produces
    @Singleton
    ApprovalService approvalService(
            ApprovalRepository store,
            TargetRepository target,
            ApprovalEventProducer sender,
            @Any Instance<ApprovalListener> listeners,
            GateControl control,
            GateConfig config,
            Clock clock) {
        GateConfig.Approvals approvals = config.approvals();
        return new ApprovalService(
                store,
                target,
                sender,
                listeners,
                control::admission,
                new ApprovalService.Settings(
                        approvals.expiry(),
                        approvals.quorum(),
                        approvals.teamQuorum(),
                        approvals.loopQuorum(),
                        approvals.maxReverifications(),
                        approvals.dashboardUrl().orElse(null),
                        approvals.reverifyTimeout()),
                clock,
                config.identity().name(),
                config.identity().email());
    }
}
