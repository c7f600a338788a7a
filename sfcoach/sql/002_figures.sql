-- sfcoach team store, migration 2: the figures `stats` gained beside progress, for
-- caseworkers, leads and admins alike: figures, never a client's text.

-- Each real meeting's date with its usefulness rating (the client's view of the meeting,
-- scale id `usefulness`) and its progress rating, oldest first.
CREATE FUNCTION sfcoach.team_rated(since text)
RETURNS TABLE(started text, usefulness integer, progress integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    SELECT s.started, u.value, s.progress
    FROM sfcoach.sessions s
    LEFT JOIN LATERAL (
        SELECT r.value FROM sfcoach.ratings r
        WHERE r.session = s.id AND r.scale = 'usefulness' ORDER BY r.n LIMIT 1
    ) u ON true
    WHERE NOT s.practice AND s.team = ANY ((SELECT sfcoach.figure_teams())::text[])
      AND (since IS NULL OR s.id >= since)
      AND (u.value IS NOT NULL OR s.progress IS NOT NULL)
    ORDER BY s.id
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
