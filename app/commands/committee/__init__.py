"""The committee's use cases (SPEC §7 M1–M1c): 资格复审, the expert pool, meetings, draws, online review."""
