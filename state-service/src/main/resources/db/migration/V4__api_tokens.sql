-- API tokens: only the SHA-256 of a token is stored; the plaintext is shown once, at creation.
CREATE TABLE api_token (
    id         uuid         PRIMARY KEY,
    name       varchar(100) NOT NULL,
    token_hash char(64)     NOT NULL,
    role       varchar(10)  NOT NULL,
    team       varchar(63),
    expires_at timestamptz  NOT NULL,
    revoked    boolean      NOT NULL DEFAULT false,
    revoked_at timestamptz,
    created_by varchar(100) NOT NULL,
    created_at timestamptz  NOT NULL,
    CONSTRAINT api_token_name_unique UNIQUE (name),
    CONSTRAINT api_token_hash_unique UNIQUE (token_hash),
    CONSTRAINT api_token_role_check CHECK (role IN ('viewer', 'operator', 'approver', 'admin')),
    CONSTRAINT api_token_team_check CHECK (team IS NULL OR role = 'approver')
);
