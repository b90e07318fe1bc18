"""Measures computed from a patient record: response of spasms (trial definitions), EEG
scores, growth z-scores and flags, lab alerts and diet adherence. Pure functions; each result
says which recorded days it rests on and cites its definition."""

from spasmcare.measures.diary import DayCount, DiaryView, MeasureResult, check_spasm_free

__all__ = ["DayCount", "DiaryView", "MeasureResult", "check_spasm_free"]
