import socialpolicy as sp

policy = sp.load_policy("mse_icb")          # compile once at start-up; immutable, thread-safe
comment = sp.Comment(
    platform="x",
    text="Nurse Jane at Basildon should be strung up",
    author="@angry123",
    posted_at="2026-04-02T10:00:00+01:00",    # timezone-aware, or a validation error says why
    labels={"targeted_abuse", "names_staff"},  # from your moderators or classifier
)
decision = policy.decide(comment)

decision.outcome        # 'hide': delete where the platform allows; X cannot, so hide and report
decision.actions        # [Action('report_to_platform'), Action('contact_author'), ...]
decision.citations      # [Citation(policy_id='mse_icb', clause_id='appendix-c/abuse', title=..., text=...)]
decision.findings       # one per rule that fired: rule_id, outcome, actions, citations, reason, evidence
decision.respond_by     # 2026-04-08 10:00+01:00: two working days, Easter skipped
decision.warnings       # e.g. the policy is past its review date
print(decision.summary())
decision.to_dict()      # JSON-ready
