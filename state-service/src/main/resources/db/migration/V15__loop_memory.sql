-- A loop's memory across ticks.
--
-- loop_triage: the last triage report of the loop whose every cited SHA was grounded, and with it the cursor per
-- ref (report -> cursors[].to). Written only when a recorded event carries such a report, so the cursor advances
-- only on success; an older event (by event time) never moves it back.
CREATE TABLE loop_triage (
    loop_id    varchar(63) PRIMARY KEY,
    tick_id    varchar(80) NOT NULL,
    event_time timestamptz NOT NULL,
    report     jsonb       NOT NULL,
    updated_at timestamptz NOT NULL
);

-- loop_note: the loop's notebook, durable notes a maker reads at the start of a run and appends at its end. The
-- newest loopline.state.notebook.max-notes per loop are kept. note_key makes an append idempotent.
CREATE TABLE loop_note (
    id         bigserial    PRIMARY KEY,
    loop_id    varchar(63)  NOT NULL,
    note_key   varchar(200) NOT NULL,
    tick_id    varchar(80),
    author     varchar(100) NOT NULL,
    text       text         NOT NULL,
    created_at timestamptz  NOT NULL,
    CONSTRAINT loop_note_key_unique UNIQUE (loop_id, note_key),
    CONSTRAINT loop_note_text_check CHECK (char_length(text) BETWEEN 1 AND 4000)
);
CREATE INDEX loop_note_loop_idx ON loop_note (loop_id, id);
