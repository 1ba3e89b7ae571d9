"""The readers' “Disagree?” form."""

from django import forms

from . import antispam
from .models import Feedback


class FeedbackForm(forms.ModelForm):
    """Which they would pick and why; name and e-mail only if they want a reply."""

    # Hidden from people (CSS and aria), filled in by bots; see the template.
    website = forms.CharField(required=False, label="Leave this field empty")
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Feedback
        fields = ("would_pick", "message", "name", "email")
        labels = {
            "would_pick": "Which would you pick?",
            "message": "Why?",
            "name": "Your name (optional)",
            "email": "Your e-mail (optional, only to reply to you)",
        }
        widgets = {
            "would_pick": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 6, "minlength": 10, "maxlength": 5000}),
        }
        error_messages = {
            "would_pick": {"required": "Choose which you would pick."},
            "message": {"required": "Tell us why, in a sentence or two."},
            "email": {
                "invalid": "Enter an e-mail address such as ada@example.com, or leave it empty."
            },
        }

    def __init__(self, *args, comparison, **kwargs):
        super().__init__(*args, **kwargs)
        self.comparison = comparison
        names = {
            Feedback.Pick.A: comparison.tool_a.name if comparison.tool_a else "Tool A",
            Feedback.Pick.B: comparison.tool_b.name if comparison.tool_b else "Tool B",
            Feedback.Pick.OTHER: "Something else",
        }
        self.fields["would_pick"].choices = [(value, names[value]) for value in names]
        if not self.is_bound:
            self.initial["stamp"] = antispam.issue_stamp(comparison_id=comparison.pk)

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(
                "Please write at least 10 characters so the editors know why."
            )
        return message

    def clean_stamp(self):
        try:
            self.nonce = antispam.check_stamp(self.cleaned_data.get("stamp"), self.comparison.pk)
        except antispam.StampError as error:
            raise forms.ValidationError(str(error), code="stamp") from error
        return self.cleaned_data["stamp"]

    def full_clean(self):
        super().full_clean()
        # Errors are announced next to their fields: tie each invalid input to its message.
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.fields[name].widget.attrs["aria-describedby"] = f"{name}-error"

    def refresh_stamp(self):
        """After a refusal, the re-shown form carries a new stamp (the text stays)."""
        self.data = self.data.copy()
        self.data["stamp"] = antispam.issue_stamp(comparison_id=self.comparison.pk)

    def kept(self):
        """
        A fresh form holding what the reader typed, without error messages: for refusals
        that are not about the form (too many notes, the database), which say so once.
        """
        initial = {name: self.data.get(name, "") for name in ("would_pick", "message", "name")}
        initial["email"] = self.data.get("email", "")
        return FeedbackForm(initial=initial, comparison=self.comparison)

    @property
    def stamp_error(self):
        errors = self.errors.get("stamp")
        return errors[0] if errors else ""
