-- An account acts for a partner organisation (alliance_partner_accounts) only while it has the
-- alliance partner role in that municipality and does not administer it. Commands change roles
-- by deleting and inserting a person's memberships in one transaction, so the check runs at
-- commit, on where the roles ended (a deferred constraint trigger), whichever command it was:
-- a link whose account no longer qualifies goes, and giving the role back needs a new link,
-- which tells the leads of the cases referred there.
CREATE FUNCTION komma_partner_link_follows_roles() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed record;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  DELETE FROM alliance_partner_accounts a
   WHERE a.tenant_id = changed.tenant_id AND a.user_id = changed.user_id
     AND (NOT EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = a.tenant_id AND m.user_id = a.user_id AND m.role = 'alliance_partner')
          OR EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = a.tenant_id AND m.user_id = a.user_id AND m.role = 'municipal_admin'));
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER memberships_partner_link_follows_roles
  AFTER INSERT OR UPDATE OR DELETE ON memberships
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION komma_partner_link_follows_roles();
