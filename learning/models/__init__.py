from .credit import Activity, AssessmentPolicy, CreditEntry, Deduction, DeductionRule, PointsRule
from .periods import AnnualAssessment, Grade, MonthlyTally, QuarterlyPublication
from .progress import (
    AttentionClock,
    Certificate,
    OfflineAttendance,
    ProgressEvent,
    StepProgress,
    TrackCompletion,
)
from .quizzes import QuizAttempt, QuizPage
from .tracks import TrackAssignment, TrackPage, TrackStep

__all__ = [
    "Activity",
    "AttentionClock",
    "AnnualAssessment",
    "AssessmentPolicy",
    "Certificate",
    "CreditEntry",
    "Deduction",
    "DeductionRule",
    "Grade",
    "MonthlyTally",
    "OfflineAttendance",
    "PointsRule",
    "ProgressEvent",
    "QuarterlyPublication",
    "QuizAttempt",
    "QuizPage",
    "StepProgress",
    "TrackAssignment",
    "TrackCompletion",
    "TrackPage",
    "TrackStep",
]
