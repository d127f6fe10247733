"""Quiz questions as StreamField blocks: one bank per quiz, drawn at random per attempt."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class ChoiceBlock(blocks.StructBlock):
    """One answer to pick, and whether it is right."""

    text = blocks.CharBlock(label=_("answer"), max_length=200)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)

    class Meta:
        icon = "tick"
        label = _("answer")


class ChoiceQuestionBlock(blocks.StructBlock):
    """A question with answers to pick from; ``multiple`` says how many may be right."""

    prompt = blocks.TextBlock(label=_("question"), max_length=500)
    choices = blocks.ListBlock(ChoiceBlock(), label=_("answers"), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        label=_("explanation"), required=False, help_text=_("Shown after the quiz is submitted.")
    )

    multiple = False

    def clean(self, value):
        value = super().clean(value)
        right = sum(1 for choice in value["choices"] if choice["correct"])
        if self.multiple and right < 1:
            message = _("Mark at least one answer as correct.")
        elif not self.multiple and right != 1:
            message = _("Mark exactly one answer as correct.")
        else:
            return value
        raise StructBlockValidationError(block_errors={"choices": ValidationError(message)})


class SingleChoiceBlock(ChoiceQuestionBlock):
    """Single choice (单选题): exactly one answer is right."""

    class Meta:
        icon = "radio-full"
        label = _("single choice")


class MultipleChoiceBlock(ChoiceQuestionBlock):
    """Multiple choice (多选题): every right answer, and only those, must be picked."""

    multiple = True

    class Meta:
        icon = "list-ul"
        label = _("multiple choice")


class TrueFalseBlock(blocks.StructBlock):
    """True or false (判断题)."""

    prompt = blocks.TextBlock(label=_("statement"), max_length=500)
    true = blocks.BooleanBlock(label=_("the statement is true"), required=False)
    explanation = blocks.TextBlock(
        label=_("explanation"), required=False, help_text=_("Shown after the quiz is submitted.")
    )

    class Meta:
        icon = "help"
        label = _("true or false")


class QuestionBankBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    true_false = TrueFalseBlock()

    class Meta:
        min_num = 1
