"""The seed's checklists as data: items judged from evidence the tool holds, or attested by a
named person for a period; statuses, runs and the managers' report."""

from toolkit.checklists.answers import FileAnswers, load_answers
from toolkit.checklists.model import Checklist, Item, Period, load_all, load_checklist
from toolkit.checklists.report import ReportRequest, WrittenReport, report_checklists
from toolkit.checklists.run import RunRequest, RunResult, run_checklist
from toolkit.checklists.status import ChecklistStatus, ItemStatus, State, evaluate, evaluate_all

__all__ = [
    "Checklist",
    "ChecklistStatus",
    "FileAnswers",
    "Item",
    "ItemStatus",
    "Period",
    "ReportRequest",
    "RunRequest",
    "RunResult",
    "State",
    "WrittenReport",
    "evaluate",
    "evaluate_all",
    "load_all",
    "load_answers",
    "load_checklist",
    "report_checklists",
    "run_checklist",
]
