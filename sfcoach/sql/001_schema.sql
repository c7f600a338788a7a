-- sfcoach team store, migration 1: sessions as rows, search texts, ratings, kept banks,
-- team membership, row-level security and the access log. Run by `sfcoach team init` as
-- the database owner, in one transaction, once (the migrations table remembers it).
--
-- Who may see what is decided here, not in the program:
--   sfcoach_caseworker  reads and writes the sessions of their own teams' clients
--   sfcoach_lead        no table at all; aggregate figures through team_counts/team_progress
--   sfcoach_admin       every session (purge, scan), the access log, team membership
-- The owner (who ran team init) is not subject to row-level security: it owns the data,
-- and the SECURITY DEFINER functions below rely on that to read across rows on behalf of
-- a caller whose own rights are narrower.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
REVOKE ALL ON SCHEMA sfcoach FROM PUBLIC;

CREATE TABLE sfcoach.members(
    login name NOT NULL,
    team text NOT NULL,
    role text NOT NULL CHECK (role IN ('caseworker', 'lead', 'admin')),
    PRIMARY KEY (login, team, role)
);

CREATE TABLE sfcoach.sessions(
    id text PRIMARY KEY,
    team text NOT NULL,
    client text,                      -- the alias as stored; NULL for practice
    client_key text,                  -- what makes two aliases the same client
    owner name NOT NULL DEFAULT session_user,  -- the login role that began it
    meeting text NOT NULL,
    practice boolean NOT NULL,
    status text NOT NULL,
    started text NOT NULL,
    ended text,
    progress integer,
    steps_agreed integer NOT NULL DEFAULT 0,
    steps_done integer NOT NULL DEFAULT 0,
    steps_partly integer NOT NULL DEFAULT 0,
    steps_not integer NOT NULL DEFAULT 0,
    version integer NOT NULL DEFAULT 1,  -- +1 a save: resume refuses a copy read before
    bytes integer NOT NULL,
    data jsonb NOT NULL               -- the session file's dict (sfcoach.codec)
);
CREATE INDEX sessions_team ON sfcoach.sessions(team, id);
CREATE INDEX sessions_client ON sfcoach.sessions(client, id);
CREATE INDEX sessions_unfinished ON sfcoach.sessions(id) WHERE status <> 'completed';

-- Every free text of a session, for search; the team is repeated so that the policy
-- needs no join.
CREATE TABLE sfcoach.texts(
    session text NOT NULL REFERENCES sfcoach.sessions ON DELETE CASCADE,
    n integer NOT NULL,
    team text NOT NULL,
    field text NOT NULL,
    question text,
    body text NOT NULL,
    PRIMARY KEY (session, n)
);
-- Substrings of three characters or more, as the folder store's trigram table: Swedish
-- inflects and compounds, so "lån" must find "CSN-lånet" and "stöd" "försörjningsstöd".
CREATE INDEX texts_trgm ON sfcoach.texts USING gin (body gin_trgm_ops);
-- A team's texts newest first: a common word is found in the latest sessions at once.
CREATE INDEX texts_team ON sfcoach.texts(team, session, n);

CREATE TABLE sfcoach.ratings(
    session text NOT NULL REFERENCES sfcoach.sessions ON DELETE CASCADE,
    n integer NOT NULL,
    team text NOT NULL,
    scale text NOT NULL,
    value integer NOT NULL,
    min integer NOT NULL,
    max integer NOT NULL,
    at text,
    PRIMARY KEY (session, n)
);
CREATE INDEX ratings_team ON sfcoach.ratings(team, scale);

CREATE TABLE sfcoach.banks(name text PRIMARY KEY, content bytea NOT NULL);

-- Append-only: no role but the owner has UPDATE or DELETE on it, and rows come in only
-- through log_access(), which names the caller itself.
CREATE TABLE sfcoach.access_log(
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    who name NOT NULL,
    client text,
    session text,
    command text NOT NULL
);
CREATE INDEX access_log_client ON sfcoach.access_log(client, id);

-- session_user, not current_user: inside a SECURITY DEFINER function current_user is
-- the owner; session_user is the login role that connected.
CREATE FUNCTION sfcoach.my_teams(wanted text DEFAULT 'caseworker') RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    SELECT coalesce(array_agg(DISTINCT team ORDER BY team), '{}')
    FROM sfcoach.members WHERE login = session_user AND role = wanted
$$;

CREATE FUNCTION sfcoach.my_roles() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    SELECT coalesce(array_agg(DISTINCT role ORDER BY role), '{}')
    FROM sfcoach.members WHERE login = session_user
$$;

-- The teams whose figures the caller may see: every team for an admin, else the teams
-- they work or lead in.
CREATE FUNCTION sfcoach.figure_teams() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    SELECT CASE WHEN 'admin' = ANY (sfcoach.my_roles())
                THEN (SELECT coalesce(array_agg(DISTINCT team), '{}') FROM sfcoach.sessions)
                ELSE (SELECT coalesce(array_agg(DISTINCT team), '{}') FROM sfcoach.members
                      WHERE login = session_user AND role IN ('caseworker', 'lead'))
           END
$$;

CREATE FUNCTION sfcoach.team_counts(since text)
RETURNS TABLE(meeting text, status text, n bigint, agreed bigint, done bigint, partly bigint,
              "not" bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    SELECT s.meeting, s.status, count(*), sum(s.steps_agreed), sum(s.steps_done),
           sum(s.steps_partly), sum(s.steps_not)
    FROM sfcoach.sessions s
    WHERE NOT s.practice AND s.team = ANY ((SELECT sfcoach.figure_teams())::text[])
      AND (since IS NULL OR s.id >= since)
    GROUP BY 1, 2
$$;

-- First and latest progress rating of each rated client: figures, no text.
CREATE FUNCTION sfcoach.team_progress(since text)
RETURNS TABLE(client text, ratings bigint, first integer, latest integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    SELECT s.client, count(*),
           (array_agg(s.progress ORDER BY s.id))[1],
           (array_agg(s.progress ORDER BY s.id DESC))[1]
    FROM sfcoach.sessions s
    WHERE NOT s.practice AND s.progress IS NOT NULL AND s.team = ANY ((SELECT sfcoach.figure_teams())::text[])
      AND (since IS NULL OR s.id >= since)
    GROUP BY s.client
$$;

-- Row-level security keeps ILIKE from using the trigram index (an operator that is not
-- leakproof runs only after the policy's filter, on every row the policy lets through),
-- so a search of the whole store finds its hits here, as the owner, with the caller's
-- teams said outright. It returns only where the hits are (session, text number); the
-- texts themselves are then read under the caller's own rights.
CREATE FUNCTION sfcoach.find_texts(likes text[], words text[], client text, lim integer)
RETURNS TABLE(session text, n integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
DECLARE
    roles text[] := sfcoach.my_roles();
    query text := 'SELECT t.session, t.n FROM sfcoach.texts t'
                  ' JOIN sfcoach.sessions s ON s.id = t.session WHERE true';
    pattern text;
BEGIN
    IF NOT 'admin' = ANY (roles) THEN
        query := query || format(' AND t.team = ANY (%L::text[])', sfcoach.my_teams());
    END IF;
    IF client IS NOT NULL THEN
        query := query || format(' AND s.client = %L', client);
    END IF;
    FOREACH pattern IN ARRAY coalesce(likes, '{}') LOOP
        query := query || format(' AND t.body ILIKE %L', pattern);
    END LOOP;
    FOREACH pattern IN ARRAY coalesce(words, '{}') LOOP
        query := query || format(' AND t.body ~* %L', pattern);
    END LOOP;
    RETURN QUERY EXECUTE query || ' ORDER BY t.session DESC, t.n DESC LIMIT ' || lim;
END $$;

CREATE FUNCTION sfcoach.log_access(client text, sessions text[], command text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, sfcoach AS $$
    INSERT INTO sfcoach.access_log(who, client, session, command)
    SELECT session_user, client, s, command FROM unnest(sessions) AS s
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA sfcoach FROM PUBLIC;

-- The group roles are the cluster's; another database's team init may have made them.
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['sfcoach_caseworker', 'sfcoach_lead', 'sfcoach_admin'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END LOOP;
END $$;

GRANT USAGE ON SCHEMA sfcoach TO sfcoach_caseworker, sfcoach_lead, sfcoach_admin;
GRANT EXECUTE ON FUNCTION sfcoach.my_teams(text), sfcoach.my_roles(), sfcoach.figure_teams(),
    sfcoach.team_counts(text), sfcoach.team_progress(text)
    TO sfcoach_caseworker, sfcoach_lead, sfcoach_admin;
GRANT EXECUTE ON FUNCTION sfcoach.log_access(text, text[], text),
    sfcoach.find_texts(text[], text[], text, integer) TO sfcoach_caseworker, sfcoach_admin;

GRANT SELECT, INSERT, UPDATE ON sfcoach.sessions TO sfcoach_caseworker;
GRANT SELECT, INSERT, UPDATE, DELETE ON sfcoach.texts, sfcoach.ratings TO sfcoach_caseworker;
GRANT SELECT, INSERT ON sfcoach.banks TO sfcoach_caseworker;
GRANT SELECT, INSERT, UPDATE, DELETE ON sfcoach.sessions, sfcoach.texts, sfcoach.ratings
    TO sfcoach_admin;
GRANT SELECT, INSERT ON sfcoach.banks TO sfcoach_admin;
GRANT SELECT ON sfcoach.access_log TO sfcoach_admin;
GRANT SELECT, INSERT, DELETE ON sfcoach.members TO sfcoach_admin;

ALTER TABLE sfcoach.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfcoach.texts ENABLE ROW LEVEL SECURITY;
ALTER TABLE sfcoach.ratings ENABLE ROW LEVEL SECURITY;

-- A scalar subquery makes the function run once per query, not once per row.
CREATE POLICY caseworker ON sfcoach.sessions TO sfcoach_caseworker
    USING (team = ANY ((SELECT sfcoach.my_teams())::text[]))
    WITH CHECK (team = ANY ((SELECT sfcoach.my_teams())::text[]));
CREATE POLICY caseworker ON sfcoach.texts TO sfcoach_caseworker
    USING (team = ANY ((SELECT sfcoach.my_teams())::text[]))
    WITH CHECK (team = ANY ((SELECT sfcoach.my_teams())::text[]));
CREATE POLICY caseworker ON sfcoach.ratings TO sfcoach_caseworker
    USING (team = ANY ((SELECT sfcoach.my_teams())::text[]))
    WITH CHECK (team = ANY ((SELECT sfcoach.my_teams())::text[]));
CREATE POLICY admin ON sfcoach.sessions TO sfcoach_admin
    USING ('admin' = ANY ((SELECT sfcoach.my_roles())::text[]))
    WITH CHECK ('admin' = ANY ((SELECT sfcoach.my_roles())::text[]));
CREATE POLICY admin ON sfcoach.texts TO sfcoach_admin
    USING ('admin' = ANY ((SELECT sfcoach.my_roles())::text[]))
    WITH CHECK ('admin' = ANY ((SELECT sfcoach.my_roles())::text[]));
CREATE POLICY admin ON sfcoach.ratings TO sfcoach_admin
    USING ('admin' = ANY ((SELECT sfcoach.my_roles())::text[]))
    WITH CHECK ('admin' = ANY ((SELECT sfcoach.my_roles())::text[]));
