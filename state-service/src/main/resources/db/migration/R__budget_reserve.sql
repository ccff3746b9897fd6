-- The reservation hot path, budget_reserve (ADR 0004, ADR 0019): the one definition of the function in force.
--
-- A repeatable migration: Flyway runs it after the versioned ones whenever this file changes, so a change to the
-- function body is an edit here, reviewed as a diff of the function, not a copy of 250 lines in a new V file. A change
-- of its arguments or result columns still needs a versioned migration that drops the old signature first (CREATE OR
-- REPLACE cannot change them); V8, V10 and V13 are that history.
--
-- Arguments and rows returned: see V13 (which this body is identical to, at the time it became repeatable).

CREATE OR REPLACE FUNCTION budget_reserve(
    p_id uuid,
    p_tokens bigint,
    p_now timestamptz,
    p_expires_at timestamptz,
    p_kinds varchar[],
    p_ids varchar[],
    p_days date[],
    p_zones varchar[],
    p_config_caps bigint[],
    p_resets_at timestamptz[],
    p_model varchar,
    p_held_usd numeric,
    p_config_usd_caps numeric[],
    p_idempotency_key varchar,
    p_declared_caps bigint[])
RETURNS TABLE (outcome varchar, scope_kind varchar, scope_id varchar, day date, level varchar, used bigint,
               cap bigint, settled bigint, held bigint, stored_zone varchar, unit varchar, used_usd numeric,
               cap_usd numeric, settled_usd numeric, held_usd numeric, reservation_id uuid, status varchar,
               expires_at timestamptz)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    n integer := array_length(p_kinds, 1);
    caps bigint[] := p_config_caps;
    usd_caps numeric[] := p_config_usd_caps;
    zones varchar[] := array_fill(NULL::varchar, ARRAY[n]);
    zone_changed boolean := false;
    settled_now bigint;
    settled_usd_now numeric;
    held_now bigint;
    held_usd_now numeric;
    used_now bigint;
    used_usd_now numeric;
    used_by bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    used_usd_by numeric[] := array_fill(NULL::numeric, ARRAY[n]);
    token_share numeric;
    usd_share numeric;
    refused integer;
    refused_unit varchar;
    cap_row record;
    existing record;
    revived uuid;
    hold_id uuid := p_id;
    settled_by bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    settled_usd_by numeric[] := array_fill(NULL::numeric, ARRAY[n]);
    i integer;
BEGIN
    -- 1. a killed scope (or the global scope) gets no new tokens
    RETURN QUERY
        SELECT 'killed'::varchar, s.scope_kind, s.scope_id, NULL::date, NULL::varchar, NULL::bigint, NULL::bigint,
               NULL::bigint, NULL::bigint, NULL::varchar, NULL::varchar, NULL::numeric, NULL::numeric, NULL::numeric,
               NULL::numeric, NULL::uuid, NULL::varchar, NULL::timestamptz
          FROM control_switch s
         WHERE s.state = 'killed'
           AND ((s.scope_kind = 'global' AND s.scope_id = 'global')
                OR (s.scope_kind, s.scope_id) IN (SELECT k, v FROM unnest(p_kinds, p_ids) AS u(k, v)));
    IF FOUND THEN
        RETURN;
    END IF;

    -- 2. the stored caps (each unit wins over its configured one) and zones; a zone the caller did not expect means
    --    its days may be wrong
    FOR cap_row IN
        SELECT u.ord, c.daily_tokens, c.daily_usd, c.time_zone
          FROM unnest(p_kinds, p_ids) WITH ORDINALITY AS u(k, v, ord)
          JOIN budget_cap c ON c.scope_kind = u.k AND c.scope_id = u.v
    LOOP
        IF cap_row.daily_tokens IS NOT NULL THEN
            caps[cap_row.ord] := cap_row.daily_tokens;
        END IF;
        IF cap_row.daily_usd IS NOT NULL THEN
            usd_caps[cap_row.ord] := cap_row.daily_usd;
        END IF;
        zones[cap_row.ord] := cap_row.time_zone;
    END LOOP;
    -- a cap the caller declares for a scope (the loop's spec) only ever lowers it: LEAST ignores a null
    FOR i IN 1 .. n LOOP
        IF p_declared_caps[i] IS NOT NULL THEN
            caps[i] := LEAST(caps[i], p_declared_caps[i]);
        END IF;
    END LOOP;
    FOR i IN 1 .. n LOOP
        IF zones[i] IS DISTINCT FROM p_zones[i] THEN
            zone_changed := true;
        END IF;
    END LOOP;
    IF zone_changed THEN
        RETURN QUERY
            SELECT 'zone'::varchar, p_kinds[j], p_ids[j], NULL::date, NULL::varchar, NULL::bigint, NULL::bigint,
                   NULL::bigint, NULL::bigint, zones[j], NULL::varchar, NULL::numeric, NULL::numeric, NULL::numeric,
                   NULL::numeric, NULL::uuid, NULL::varchar, NULL::timestamptz
              FROM generate_subscripts(p_kinds, 1) AS j;
        RETURN;
    END IF;

    -- 3. fail closed: a money-capped scope needs the hold's USD, i.e. a priced model
    IF p_held_usd IS NULL THEN
        FOR i IN 1 .. n LOOP
            IF usd_caps[i] IS NOT NULL THEN
                RETURN QUERY SELECT 'unpriced'::varchar, p_kinds[i], p_ids[i], p_days[i], NULL::varchar,
                                    NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::varchar,
                                    'usd'::varchar, NULL::numeric, usd_caps[i], NULL::numeric, NULL::numeric,
                                    NULL::uuid, NULL::varchar, NULL::timestamptz;
                RETURN;
            END IF;
        END LOOP;
    END IF;

    -- 4. lock every scope-day in the order given (creating missing rows); then the key's hold, if any; then check the
    --    capped ones in both units: the totals are read after the locks are held. A refusal rolls this block back (the
    --    rows it created).
    BEGIN
        FOR i IN 1 .. n LOOP
            SELECT p.settled, p.cost_usd INTO settled_now, settled_usd_now
              FROM budget_period p
             WHERE p.scope_kind = p_kinds[i] AND p.scope_id = p_ids[i] AND p.day = p_days[i]
               FOR UPDATE;
            IF NOT FOUND THEN
                INSERT INTO budget_period (scope_kind, scope_id, day, settled)
                VALUES (p_kinds[i], p_ids[i], p_days[i], 0)
                ON CONFLICT DO NOTHING;
                SELECT p.settled, p.cost_usd INTO settled_now, settled_usd_now
                  FROM budget_period p
                 WHERE p.scope_kind = p_kinds[i] AND p.scope_id = p_ids[i] AND p.day = p_days[i]
                   FOR UPDATE;
            END IF;
            settled_by[i] := settled_now;
            settled_usd_by[i] := settled_usd_now;
        END LOOP;

        IF p_idempotency_key IS NOT NULL THEN
            SELECT r.id, r.status, r.tokens, r.settled_tokens, r.expires_at INTO existing
              FROM budget_reservation r
             WHERE r.idempotency_key = p_idempotency_key
               FOR UPDATE;
            IF FOUND THEN
                IF existing.status = 'settled' OR (existing.status = 'held' AND existing.expires_at > p_now) THEN
                    RETURN QUERY SELECT 'existing'::varchar, NULL::varchar, NULL::varchar, NULL::date, NULL::varchar,
                                        NULL::bigint, NULL::bigint, existing.settled_tokens, existing.tokens,
                                        NULL::varchar, NULL::varchar, NULL::numeric, NULL::numeric, NULL::numeric,
                                        NULL::numeric, existing.id, existing.status::varchar, existing.expires_at;
                    RETURN;
                END IF;
                -- released, or expired unsettled: it holds nothing any more, so it is held again under its id
                revived := existing.id;
            END IF;
        END IF;

        FOR i IN 1 .. n LOOP
            settled_now := settled_by[i];
            settled_usd_now := settled_usd_by[i];
            IF caps[i] IS NOT NULL OR usd_caps[i] IS NOT NULL THEN
                -- the live holds alone, from the charges' copies (V20): no join, whatever the day's volume
                SELECT COALESCE(SUM(c.held_tokens), 0), COALESCE(SUM(c.held_usd), 0) INTO held_now, held_usd_now
                  FROM budget_charge c
                 WHERE c.scope_kind = p_kinds[i] AND c.scope_id = p_ids[i] AND c.day = p_days[i]
                   AND c.held_until > p_now;
                IF caps[i] IS NOT NULL THEN
                    used_now := settled_now + held_now + p_tokens;
                    IF used_now > caps[i] THEN
                        refused := i;
                        refused_unit := 'tokens';
                        RAISE EXCEPTION USING ERRCODE = 'LLB01', MESSAGE = 'budget-exhausted';
                    END IF;
                    used_by[i] := used_now;
                END IF;
                IF usd_caps[i] IS NOT NULL THEN
                    used_usd_now := settled_usd_now + held_usd_now + p_held_usd;
                    IF used_usd_now > usd_caps[i] THEN
                        refused := i;
                        refused_unit := 'usd';
                        RAISE EXCEPTION USING ERRCODE = 'LLB01', MESSAGE = 'budget-exhausted';
                    END IF;
                    used_usd_by[i] := used_usd_now;
                END IF;
            END IF;
        END LOOP;
    EXCEPTION WHEN SQLSTATE 'LLB01' THEN
        RETURN QUERY SELECT 'exhausted'::varchar, p_kinds[refused], p_ids[refused], p_days[refused], NULL::varchar,
                            NULL::bigint, caps[refused], settled_now, held_now, NULL::varchar, refused_unit,
                            NULL::numeric, usd_caps[refused], settled_usd_now, held_usd_now, NULL::uuid, NULL::varchar,
                            NULL::timestamptz;
        RETURN;
    END;

    -- 5. the hold and its charges; a released or expired hold under the key is replaced by the new one, under its id
    --    (it spent nothing: a settled one is never replaced)
    IF revived IS NOT NULL THEN
        hold_id := revived;
        DELETE FROM budget_charge c WHERE c.reservation_id = revived;
        DELETE FROM budget_reservation r WHERE r.id = revived;
    END IF;
    INSERT INTO budget_reservation (id, tokens, status, created_at, expires_at, model, held_usd, idempotency_key)
    VALUES (hold_id, p_tokens, 'held', p_now, p_expires_at, p_model, p_held_usd, p_idempotency_key);
    INSERT INTO budget_charge (reservation_id, scope_kind, scope_id, day, held_tokens, held_usd, held_until)
    SELECT hold_id, u.k, u.v, u.d, p_tokens, p_held_usd, p_expires_at FROM unnest(p_kinds, p_ids, p_days) AS u(k, v, d);

    -- 6. threshold levels this use reaches in the unit with the higher fraction of its cap, recorded once per
    --    scope-day and level
    FOR i IN 1 .. n LOOP
        token_share := CASE WHEN used_by[i] IS NOT NULL AND caps[i] > 0
                            THEN used_by[i]::numeric / caps[i] END;
        usd_share := CASE WHEN used_usd_by[i] IS NOT NULL AND usd_caps[i] > 0
                          THEN used_usd_by[i] / usd_caps[i] END;
        IF usd_share IS NOT NULL AND (token_share IS NULL OR usd_share > token_share) THEN
            IF usd_share >= 0.8 THEN
                RETURN QUERY
                    INSERT INTO budget_threshold_crossing AS t
                           (scope_kind, scope_id, day, level, percent, used, cap, resets_at, crossed_at, unit,
                            used_usd, cap_usd)
                    SELECT p_kinds[i], p_ids[i], p_days[i], l.name, l.pct, NULL, NULL, p_resets_at[i], p_now, 'usd',
                           used_usd_by[i], usd_caps[i]
                      FROM (VALUES ('report-only'::varchar, 80), ('alert'::varchar, 90), ('halt'::varchar, 100))
                           AS l(name, pct)
                     WHERE used_usd_by[i] * 100 >= usd_caps[i] * l.pct
                    ON CONFLICT DO NOTHING
                    RETURNING 'crossing'::varchar, t.scope_kind, t.scope_id, t.day, t.level, t.used, t.cap,
                              NULL::bigint, NULL::bigint, NULL::varchar, t.unit, t.used_usd, t.cap_usd,
                              NULL::numeric, NULL::numeric, NULL::uuid, NULL::varchar, NULL::timestamptz;
            END IF;
        ELSIF token_share IS NOT NULL AND token_share >= 0.8 THEN
            RETURN QUERY
                INSERT INTO budget_threshold_crossing AS t
                       (scope_kind, scope_id, day, level, percent, used, cap, resets_at, crossed_at, unit)
                SELECT p_kinds[i], p_ids[i], p_days[i], l.name, l.pct, used_by[i], caps[i], p_resets_at[i], p_now,
                       'tokens'
                  FROM (VALUES ('report-only'::varchar, 80), ('alert'::varchar, 90), ('halt'::varchar, 100))
                       AS l(name, pct)
                 WHERE used_by[i] * 100 >= caps[i] * l.pct
                ON CONFLICT DO NOTHING
                RETURNING 'crossing'::varchar, t.scope_kind, t.scope_id, t.day, t.level, t.used, t.cap,
                          NULL::bigint, NULL::bigint, NULL::varchar, t.unit, t.used_usd, t.cap_usd,
                          NULL::numeric, NULL::numeric, NULL::uuid, NULL::varchar, NULL::timestamptz;
        END IF;
    END LOOP;
    RETURN QUERY SELECT 'granted'::varchar, NULL::varchar, NULL::varchar, NULL::date, NULL::varchar, NULL::bigint,
                        NULL::bigint, NULL::bigint, NULL::bigint, NULL::varchar, NULL::varchar, NULL::numeric,
                        NULL::numeric, NULL::numeric, NULL::numeric, hold_id, 'held'::varchar, p_expires_at;
END;
$$;
