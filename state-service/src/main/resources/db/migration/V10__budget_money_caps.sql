-- Money caps (ADR 0004, "Money caps"): a scope may have a daily USD cap besides (or instead of) its token cap, with the
-- same invariant per scope-day: settled USD + live held USD ≤ USD cap.

-- A stored cap row holds either unit or both; an absent unit falls back to the configured cap of that unit.
ALTER TABLE budget_cap ALTER COLUMN daily_tokens DROP NOT NULL;
ALTER TABLE budget_cap ADD COLUMN daily_usd numeric(20, 9) CHECK (daily_usd >= 0);
ALTER TABLE budget_cap ADD CONSTRAINT budget_cap_some_cap CHECK (daily_tokens IS NOT NULL OR daily_usd IS NOT NULL);

-- The USD a hold holds: tokens × the reserved model's higher per-token price, rounded up (an upper bound of any
-- settlement of those tokens at that model). Null for a hold without a priced model (it cannot charge a money-capped
-- scope). Like held tokens, held USD is not a counter on budget_period: it is summed over the live holds (ADR 0004),
-- so expiry needs no write. The settled USD of a scope-day is budget_period.cost_usd (V9).
ALTER TABLE budget_reservation ADD COLUMN held_usd numeric(20, 9) CHECK (held_usd >= 0);

-- A crossing says which unit reached the level (the one with the higher fraction of its cap); a USD crossing keeps
-- its figures in used_usd / cap_usd and leaves used / cap null.
ALTER TABLE budget_threshold_crossing ADD COLUMN unit varchar(6) NOT NULL DEFAULT 'tokens'
    CONSTRAINT budget_threshold_unit_check CHECK (unit IN ('tokens', 'usd'));
ALTER TABLE budget_threshold_crossing ADD COLUMN used_usd numeric(20, 9);
ALTER TABLE budget_threshold_crossing ADD COLUMN cap_usd numeric(20, 9);
ALTER TABLE budget_threshold_crossing ALTER COLUMN used DROP NOT NULL;
ALTER TABLE budget_threshold_crossing ALTER COLUMN cap DROP NOT NULL;

-- budget_reserve with money: the arguments and result columns change, so the V8 function is dropped (a replica still
-- calling the old signature during a rolling upgrade fails closed: its reservations error, nothing is held).
DROP FUNCTION budget_reserve(uuid, bigint, timestamptz, timestamptz, varchar[], varchar[], date[], varchar[], bigint[],
                             timestamptz[]);

-- One round trip, as V8: the kill check, the caps (both units), the priced-model check, the scope-day locks in the
-- order given, the live holds (tokens and USD in one sum), both cap checks, the reservation and its charges and the
-- threshold crossings. Called with autocommit, the call is the transaction.
--
-- Arguments as V8, plus:
--   p_model              the model the hold names (stored on the reservation), null for none
--   p_held_usd           the USD the hold holds (computed by the caller from the price table, rounded up), null when
--                        the model is absent or unpriced
--   p_config_usd_caps    the configured USD cap of each scope, null for none (a stored daily_usd wins)
--
-- Rows returned (outcome, scope_kind, scope_id, day, level, used, cap, settled, held, stored_zone, unit, used_usd,
-- cap_usd, settled_usd, held_usd):
--   'killed', 'zone'  as V8 (nothing written)
--   'unpriced'   the first scope in lock order with a USD cap, when p_held_usd is null (nothing written, no lock)
--   'exhausted'  the first scope-day in lock order the hold does not fit, unit 'tokens' (cap, settled, held) or 'usd'
--                (cap_usd, settled_usd, held_usd); tokens are checked before USD (nothing written)
--   'crossing'   a threshold level this reservation newly reached, in the unit with the higher fraction
--   'granted'    last row when the reservation was inserted
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
    p_config_usd_caps numeric[])
RETURNS TABLE (outcome varchar, scope_kind varchar, scope_id varchar, day date, level varchar, used bigint,
               cap bigint, settled bigint, held bigint, stored_zone varchar, unit varchar, used_usd numeric,
               cap_usd numeric, settled_usd numeric, held_usd numeric)
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
    i integer;
BEGIN
    -- 1. a killed scope (or the global scope) gets no new tokens
    RETURN QUERY
        SELECT 'killed'::varchar, s.scope_kind, s.scope_id, NULL::date, NULL::varchar, NULL::bigint, NULL::bigint,
               NULL::bigint, NULL::bigint, NULL::varchar, NULL::varchar, NULL::numeric, NULL::numeric, NULL::numeric,
               NULL::numeric
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
    FOR i IN 1 .. n LOOP
        IF zones[i] IS DISTINCT FROM p_zones[i] THEN
            zone_changed := true;
        END IF;
    END LOOP;
    IF zone_changed THEN
        RETURN QUERY
            SELECT 'zone'::varchar, p_kinds[j], p_ids[j], NULL::date, NULL::varchar, NULL::bigint, NULL::bigint,
                   NULL::bigint, NULL::bigint, zones[j], NULL::varchar, NULL::numeric, NULL::numeric, NULL::numeric,
                   NULL::numeric
              FROM generate_subscripts(p_kinds, 1) AS j;
        RETURN;
    END IF;

    -- 3. fail closed: a money-capped scope needs the hold's USD, i.e. a priced model
    IF p_held_usd IS NULL THEN
        FOR i IN 1 .. n LOOP
            IF usd_caps[i] IS NOT NULL THEN
                RETURN QUERY SELECT 'unpriced'::varchar, p_kinds[i], p_ids[i], p_days[i], NULL::varchar,
                                    NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, NULL::varchar,
                                    'usd'::varchar, NULL::numeric, usd_caps[i], NULL::numeric, NULL::numeric;
                RETURN;
            END IF;
        END LOOP;
    END IF;

    -- 4. lock every scope-day in the order given (creating missing rows), then check the capped ones in both units:
    --    the totals are read after the lock is held. A refusal rolls this block back (the rows it created).
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
            IF caps[i] IS NOT NULL OR usd_caps[i] IS NOT NULL THEN
                SELECT COALESCE(SUM(r.tokens), 0), COALESCE(SUM(r.held_usd), 0) INTO held_now, held_usd_now
                  FROM budget_charge c
                  JOIN budget_reservation r ON r.id = c.reservation_id
                 WHERE c.scope_kind = p_kinds[i] AND c.scope_id = p_ids[i] AND c.day = p_days[i]
                   AND r.status = 'held' AND r.expires_at > p_now;
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
                            NULL::numeric, usd_caps[refused], settled_usd_now, held_usd_now;
        RETURN;
    END;

    -- 5. the hold and its charges
    INSERT INTO budget_reservation (id, tokens, status, created_at, expires_at, model, held_usd)
    VALUES (p_id, p_tokens, 'held', p_now, p_expires_at, p_model, p_held_usd);
    INSERT INTO budget_charge (reservation_id, scope_kind, scope_id, day)
    SELECT p_id, u.k, u.v, u.d FROM unnest(p_kinds, p_ids, p_days) AS u(k, v, d);

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
                              NULL::numeric, NULL::numeric;
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
                          NULL::numeric, NULL::numeric;
        END IF;
    END LOOP;
    RETURN QUERY SELECT 'granted'::varchar, NULL::varchar, NULL::varchar, NULL::date, NULL::varchar, NULL::bigint,
                        NULL::bigint, NULL::bigint, NULL::bigint, NULL::varchar, NULL::varchar, NULL::numeric,
                        NULL::numeric, NULL::numeric, NULL::numeric;
END;
$$;
