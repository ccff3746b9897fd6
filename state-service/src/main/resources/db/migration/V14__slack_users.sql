-- Slack users who may approve from Slack: (Slack workspace id, Slack user id) -> the Loopline user they act as.
-- Managed by an admin (PUT/GET/DELETE /api/v1/admin/slack-users); gate-service looks a clicker up here.
CREATE TABLE slack_user (
    slack_team_id varchar(32)  NOT NULL,
    slack_user_id varchar(32)  NOT NULL,
    user_name     varchar(100) NOT NULL,
    role          varchar(10)  NOT NULL,
    team          varchar(63),
    created_by    varchar(100) NOT NULL,
    created_at    timestamptz  NOT NULL,
    PRIMARY KEY (slack_team_id, slack_user_id),
    CONSTRAINT slack_user_role_check CHECK (role IN ('approver', 'admin')),
    CONSTRAINT slack_user_team_check CHECK (team IS NULL OR role = 'approver')
);
