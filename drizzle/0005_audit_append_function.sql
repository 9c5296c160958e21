-- Appends one audit entry in a single round trip. The caller computes body_hash (SHA-256 over
-- the entry's canonical JSON); the chain link is sha256(prev_hash || E'\n' || seq || E'\n' ||
-- body_hash), computed here under a per-tenant lock so that appends never fork the chain.
-- It runs with the caller's rights (komma_app), so row-level security applies.
CREATE OR REPLACE FUNCTION komma_audit_append(
  p_tenant uuid, p_at timestamptz, p_actor uuid, p_action text, p_object_type text, p_object_id text, p_details jsonb, p_body_hash text
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_prev text;
  v_seq bigint;
  v_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_tenant::text, 42));
  SELECT seq, hash INTO v_seq, v_prev FROM audit_heads WHERE tenant_id = p_tenant;
  IF NOT FOUND THEN
    v_seq := 0;
    v_prev := repeat('0', 64);
  END IF;
  v_seq := v_seq + 1;
  v_hash := encode(sha256(convert_to(v_prev || E'\n' || v_seq::text || E'\n' || p_body_hash, 'UTF8')), 'hex');
  INSERT INTO audit_log (tenant_id, seq, at, actor_id, action, object_type, object_id, details, prev_hash, hash)
    VALUES (p_tenant, v_seq, p_at, p_actor, p_action, p_object_type, p_object_id, p_details, v_prev, v_hash);
  INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (p_tenant, v_seq, v_hash)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash;
  RETURN v_seq;
END
$$;
