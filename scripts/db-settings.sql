-- The service's database settings (docs/deploy.md), for the database this runs in: applied at
-- set-up and again by scripts/restore.sh, since a dump does not carry them.
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f scripts/db-settings.sql
DO $$
BEGIN
  -- SSD storage: the planner uses the indexes for an agency's actions instead of hashing
  -- every recommendation.
  EXECUTE format('ALTER DATABASE %I SET random_page_cost = 1.1', current_database());
  -- Every query here is short: compiling it costs more than it saves.
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END
$$;
