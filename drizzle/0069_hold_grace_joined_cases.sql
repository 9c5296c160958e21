-- Deleting a case past its retention period (see 0034, 0049), with more conditions:
-- a legal hold lifted keeps the case for 14 more days (up to its own last day), so that a hold
-- lifted by mistake, or by one officer alone, can be placed again before the nightly run; and a
-- case joined into another is kept while that one exists (its risk assessments count there), and
-- a hold on a case joined into another holds that one too (the joined case's reports are there).
CREATE OR REPLACE FUNCTION komma_purge_case(p_tenant uuid, p_case uuid, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_number text;
BEGIN
  IF p_tenant IS DISTINCT FROM komma_current_tenant() THEN
    RAISE EXCEPTION 'komma_purge_case: not the current tenant';
  END IF;
  SELECT c.number INTO v_number FROM cases c LEFT JOIN case_retention r ON r.tenant_id = c.tenant_id
   WHERE c.tenant_id = p_tenant AND c.id = p_case AND c.status = 'closed' AND c.closed_at IS NOT NULL
     AND c.closed_at < p_now - make_interval(months => CASE WHEN c.closed_reason IS NULL THEN coalesce(r.closed_months, 36) ELSE coalesce(r.dismissed_months, 12) END)
     AND NOT EXISTS (SELECT 1 FROM case_legal_holds h WHERE h.tenant_id = c.tenant_id
                      AND h.case_id IN (WITH RECURSIVE joined(id) AS (
                                          SELECT c.id
                                          UNION SELECT j.id FROM cases j JOIN joined ON j.joined_into = joined.id WHERE j.tenant_id = p_tenant
                                        ) SELECT id FROM joined)
                      AND CASE WHEN h.lifted_at IS NULL THEN h.until
                               ELSE least(h.until, (h.lifted_at AT TIME ZONE 'Europe/Berlin')::date + 14) END
                          >= (p_now AT TIME ZONE 'Europe/Berlin')::date)
     AND NOT EXISTS (SELECT 1 FROM cases t WHERE t.tenant_id = c.tenant_id AND t.id = c.joined_into)
     AND (c.closed_reason IS NOT NULL OR EXISTS (SELECT 1 FROM statistics_records s WHERE s.tenant_id = c.tenant_id AND s.case_id = c.id AND s.state = 'closed'))
   FOR UPDATE OF c;
  IF v_number IS NULL THEN
    RETURN NULL;
  END IF;
  -- Every notice of the case: those that lead to it, to its referrals and shares, and those that name it.
  DELETE FROM notifications n WHERE n.tenant_id = p_tenant
    AND (n.link = '/faelle/' || v_number OR n.link LIKE '/faelle/' || v_number || '#%' OR n.params->>'caseNumber' = v_number
         OR n.link IN (SELECT '/vermittlungen/' || f.id FROM case_referrals f WHERE f.tenant_id = p_tenant AND f.case_id = p_case)
         OR n.link IN (SELECT '/fuehrung/' || s.id FROM case_leader_shares s WHERE s.tenant_id = p_tenant AND s.case_id = p_case));
  DELETE FROM case_disclosures d USING case_referrals f
    WHERE d.tenant_id = p_tenant AND f.tenant_id = p_tenant AND d.referral_id = f.id AND f.case_id = p_case;
  DELETE FROM case_referrals WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_task_reminders m USING case_tasks t
    WHERE m.tenant_id = p_tenant AND t.tenant_id = p_tenant AND m.task_id = t.id AND t.case_id = p_case;
  DELETE FROM case_tasks WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_assessments WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_closures WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_legal_holds WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_notes WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_leader_shares WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_links WHERE tenant_id = p_tenant AND (case_id = p_case OR other_case_id = p_case);
  DELETE FROM case_perpetrators WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_reports WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM cases WHERE tenant_id = p_tenant AND id = p_case;
  RETURN v_number;
END
$$;
