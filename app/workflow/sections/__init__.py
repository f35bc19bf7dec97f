"""The sections of an application (P4–P6, P9), in three parts: `definitions` (what each section asks:
data), `rules` (pure functions checking an entry, a text, a whole section) and `state` (the queries:
configured sections, their states, what the applicant may edit now, what blocks 确认申报).
Callers import from here."""
from app.workflow.sections.definitions import FIELD_TYPES, SECTIONS, Field, SectionKind
from app.workflow.sections.rules import (DATE_MIN, DEFAULT_CONTINUING_EDUCATION_HOURS, TEXT_MAX, YearHours,
                                         content_status, is_vague_level, yearly_hours)
from app.workflow.sections.state import (SectionState, attachments_of, clean_entry, configured_for,
                                         configured_sections, editable_sections, entries_of, missing_sections,
                                         section_config, section_problems, section_row, section_states,
                                         text_errors)

__all__ = ["DATE_MIN", "DEFAULT_CONTINUING_EDUCATION_HOURS", "FIELD_TYPES", "SECTIONS", "TEXT_MAX", "Field",
           "SectionKind", "SectionState", "YearHours", "attachments_of", "clean_entry", "configured_for",
           "configured_sections", "content_status", "editable_sections", "entries_of", "is_vague_level",
           "missing_sections", "section_config", "section_problems", "section_row", "section_states", "text_errors",
           "yearly_hours"]
