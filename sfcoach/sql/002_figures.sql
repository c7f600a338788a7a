-- sfcoach team store, migration 2: the figures `stats` gained beside progress, for
-- caseworkers, leads and admins alike: figures, never a client's text.

-- The usefulness ratings (the client's view of a meeting, scale id `usefulness`) and
-- progress ratings of real meetings per month: how many and their sum, oldest first.
CREATE FUNCTION sfcoach.team_rated(since text)
RETURNS TABLE(month text, useful_n bigint, useful_sum bigint, progress_n bigint,
              progress_sum bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    SELECT substr(s.started, 1, 7), count(u.value), coalesce(sum(u.value), 0),
           count(s.progress), coalesce(sum(s.progress), 0)
    FROM sfcoach.sessions s
    LEFT JOIN LATERAL (
        SELECT r.value FROM sfcoach.ratings r
        WHERE r.session = s.id AND r.scale = 'usefulness' ORDER BY r.n LIMIT 1
    ) u ON true
    WHERE NOT s.practice AND s.team = ANY ((SELECT sfcoach.figure_teams())::text[])
      AND (since IS NULL OR s.id >= since)
    GROUP BY 1
    HAVING count(u.value) > 0 OR count(s.progress) > 0
    ORDER BY 1
$$;

-- Completed real meetings with a colleague as reflection partner, per practitioner.
CREATE FUNCTION sfcoach.team_reflection_pairs(since text)
RETURNS TABLE(practitioner text, n bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    SELECT coalesce(s.data->>'practitioner', ''), count(*)
    FROM sfcoach.sessions s
    WHERE NOT s.practice AND s.status = 'completed'
      AND jsonb_typeof(s.data->'reflection') = 'object'
      AND s.team = ANY ((SELECT sfcoach.figure_teams())::text[]) AND s.id >= since
    GROUP BY 1 ORDER BY 1
$$;

REVOKE ALL ON FUNCTION sfcoach.team_rated(text), sfcoach.team_reflection_pairs(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sfcoach.team_rated(text), sfcoach.team_reflection_pairs(text)
    TO sfcoach_caseworker, sfcoach_lead, sfcoach_admin;
