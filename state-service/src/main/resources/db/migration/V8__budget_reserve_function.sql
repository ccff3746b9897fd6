-- A reservation in one round trip (ADR 0004, 2026-11 performance): the kill check, the caps, the scope-day locks, the
-- live holds, the cap check, the reservation and its charges and the threshold crossings, all in one call. Called
-- with autocommit, the call is the transaction. A refusal rolls back what the checks wrote (a new scope-day row) inside
-- the function and answers a row, so a refused reservation writes nothing and leaves no error in the server log.
--
-- Arguments, one array element per scope, in lock order (kind: global, team, loop; then id):
--   p_kinds, p_ids     the scopes
--   p_days             each scope's day, computed by the caller in the scope's zone
--   p_zones            the stored time zone (budget_cap.time_zone) the caller assumed when computing the day, null
--                      for none; if any differs from the stored one nothing is written and one 'zone' row per scope
--                      returns the stored zones (the caller recomputes the days and calls again)
--   p_config_caps      the configured cap of each scope, null for none (a stored cap row wins)
--   p_resets_at        the start of each scope's next day (for the threshold rows)
--
-- Rows returned (outcome, scope_kind, scope_id, day, level, used, cap, settled, held, stored_zone):
--   'killed'    a named scope or the global scope is killed (nothing written)
--   'zone'      see p_zones (nothing written)
--   'exhausted' the first scope-day in lock order the hold does not fit: its cap, settled and live held (nothing
--               written)
--   'crossing'  a threshold level this reservation newly reached (row inserted in budget_threshold_crossing)
--   'granted'   last row when the reservation was inserted
CREATE FUNCTION budget_reserve(
    p_id uuid,
    p_tokens bigint,
    p_now timestamptz,
    p_expires_at timestamptz,
    p_kinds varchar[],
    p_ids varchar[],
    p_days date[],
    p_zones varchar[],
    p_config_caps bigint[],
    p_resets_at timestamptz[])
RETURNS TABLE (outcome varchar, scope_kind varchar, scope_id varchar, day date, level varchar, used bigint,
               cap bigint, settled bigint, held bigint, stored_zone varchar)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    n integer := array_length(p_kinds, 1);
    caps bigint[] := p_config_caps;
    zones varchar[] := array_fill(NULL::varchar, ARRAY[n]);
    zone_changed boolean := false;
    settled_now bigint;
    held_now bigint;
    used_now bigint;
    used_by bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    refused integer;
    cap_row record;
    i integer;
BEGIN
    -- 1. a killed scope (or the global scope) gets no new tokens
    RETURN QUERY
        SELECT 'killed'::varchar, s.scope_kind, s.scope_id, NULL::date, NULL::varchar, NULL::bigint, NULL::bigint,
               NULL::bigint, NULL::bigint, NULL::varchar
          FROM control_switch s
         WHERE s.state = 'killed'
           AND ((s.scope_kind = 'global' AND s.scope_id = 'global')
                OR (s.scope_kind, s.scope_id) IN (SELECT k, v FROM unnest(p_kinds, p_ids) AS u(k, v)));
    IF FOUND THEN
        RETURN;
    END IF;

    -- 2. the stored caps and zones; a zone the caller did not expect means its days may be wrong
    FOR cap_row IN
        SELECT u.ord, c.daily_tokens, c.time_zone
          FROM unnest(p_kinds, p_ids) WITH ORDINALITY AS u(k, v, ord)
          JOIN budget_cap c ON c.scope_kind = u.k AND c.scope_id = u.v
    LOOP
        caps[cap_row.ord] := cap_row.daily_tokens;
        zones[cap_row.ord] := cap_row.time_zone;
    END LOOP;
    FOR i IN 1 .. n LOOP
        IF zones[i] IS DISTINCT FROM p_zones[i] THEN
            zone_changed := true;
        END IF;
    END LOOP;
    IF zone_changed THEN
        RETURN QUERY
            SELECT 'zone'::varchar, p_kinds[j], p_ids[j], NULL::date, NULL::varchar, NULL::bigint, NULL::bigint,
                   NULL::bigint, NULL::bigint, zones[j]
              FROM generate_subscripts(p_kinds, 1) AS j;
        RETURN;
    END IF;

    -- 3. lock every scope-day in the order given (creating missing rows), then check the capped ones: the totals are
    --    read after the lock is held. A refusal rolls this block back (the rows it created), nothing else was written.
    BEGIN
        FOR i IN 1 .. n LOOP
            SELECT p.settled INTO settled_now
              FROM budget_period p
             WHERE p.scope_kind = p_kinds[i] AND p.scope_id = p_ids[i] AND p.day = p_days[i]
               FOR UPDATE;
            IF NOT FOUND THEN
                INSERT INTO budget_period (scope_kind, scope_id, day, settled)
                VALUES (p_kinds[i], p_ids[i], p_days[i], 0)
                ON CONFLICT DO NOTHING;
                SELECT p.settled INTO settled_now
                  FROM budget_period p
                 WHERE p.scope_kind = p_kinds[i] AND p.scope_id = p_ids[i] AND p.day = p_days[i]
                   FOR UPDATE;
            END IF;
            IF caps[i] IS NOT NULL THEN
                SELECT COALESCE(SUM(r.tokens), 0) INTO held_now
                  FROM budget_charge c
                  JOIN budget_reservation r ON r.id = c.reservation_id
                 WHERE c.scope_kind = p_kinds[i] AND c.scope_id = p_ids[i] AND c.day = p_days[i]
                   AND r.status = 'held' AND r.expires_at > p_now;
                used_now := settled_now + held_now + p_tokens;
                IF used_now > caps[i] THEN
                    refused := i;
                    RAISE EXCEPTION USING ERRCODE = 'LLB01', MESSAGE = 'budget-exhausted';
                END IF;
                used_by[i] := used_now;
            END IF;
        END LOOP;
    EXCEPTION WHEN SQLSTATE 'LLB01' THEN
        RETURN QUERY SELECT 'exhausted'::varchar, p_kinds[refused], p_ids[refused], p_days[refused], NULL::varchar,
                            NULL::bigint, caps[refused], settled_now, held_now, NULL::varchar;
        RETURN;
    END;

    -- 4. the hold and its charges
    INSERT INTO budget_reservation (id, tokens, status, created_at, expires_at)
    VALUES (p_id, p_tokens, 'held', p_now, p_expires_at);
    INSERT INTO budget_charge (reservation_id, scope_kind, scope_id, day)
    SELECT p_id, u.k, u.v, u.d FROM unnest(p_kinds, p_ids, p_days) AS u(k, v, d);

    -- 5. threshold levels this use reaches, recorded once per scope-day and level
    FOR i IN 1 .. n LOOP
        IF used_by[i] IS NOT NULL AND caps[i] > 0 AND used_by[i] * 100 >= caps[i] * 80 THEN
            RETURN QUERY
                INSERT INTO budget_threshold_crossing AS t
                       (scope_kind, scope_id, day, level, percent, used, cap, resets_at, crossed_at)
                SELECT p_kinds[i], p_ids[i], p_days[i], l.name, l.pct, used_by[i], caps[i], p_resets_at[i], p_now
                  FROM (VALUES ('report-only'::varchar, 80), ('alert'::varchar, 90), ('halt'::varchar, 100))
                       AS l(name, pct)
                 WHERE used_by[i] * 100 >= caps[i] * l.pct
                ON CONFLICT DO NOTHING
                RETURNING 'crossing'::varchar, t.scope_kind, t.scope_id, t.day, t.level, t.used, t.cap,
                          NULL::bigint, NULL::bigint, NULL::varchar;
        END IF;
    END LOOP;
    RETURN QUERY SELECT 'granted'::varchar, NULL::varchar, NULL::varchar, NULL::date, NULL::varchar, NULL::bigint,
                        NULL::bigint, NULL::bigint, NULL::bigint, NULL::varchar;
END;
$$;
