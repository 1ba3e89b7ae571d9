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
        fields = (
            "would_pick",
            "target",
            "message",
            "name",
            "email",
            "notify_on_change",
            "may_credit",
        )
        labels = {
            "would_pick": "Which would you pick?",
            "target": "Which part do you dispute? (optional)",
            "message": "Why?",
            "name": "Your name (optional)",
            "email": "Your e-mail (optional, only to reply to you)",
            "notify_on_change": "E-mail me once if the article changes because of my note",
            "may_credit": "You may thank me by name in the article's history",
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

    def __init__(self, *args, comparison, reader=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.comparison = comparison
        self.reader = reader
        names = {
            Feedback.Pick.A: comparison.tool_a.name if comparison.tool_a else "Tool A",
            Feedback.Pick.B: comparison.tool_b.name if comparison.tool_b else "Tool B",
            Feedback.Pick.OTHER: "Something else",
        }
        self.fields["would_pick"].choices = [(value, names[value]) for value in names]
        # The factor rows come from the article's prefetched factors: no query of their own.
        self.fields["target"] = forms.ChoiceField(
            label=self._meta.labels["target"],
            required=False,
            choices=[
                ("", "Nothing in particular"),
                ("pick", "The pick"),
                *(
                    (f"factor:{factor.name}"[:140], f"The row “{factor.name}”")
                    for factor in comparison.factors.all()
                ),
                ("other", "Something else"),
            ],
            error_messages={"invalid_choice": "Choose one of the parts listed."},
        )
        if not self.is_bound and reader:
            # Only forms shown to one reader carry a stamp; the article's form is the same for
            # everyone and gets its stamp when the reader starts on it (antispam docstring).
            self.initial["stamp"] = antispam.issue_stamp(article=comparison.slug, reader=reader)

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(
                "Please write at least 10 characters so the editors know why."
            )
        return message

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_on_change") and not cleaned.get("email"):
            self.add_error(
                "email",
                forms.ValidationError(
                    "Give your e-mail address so we can tell you, or untick the box.",
                    code="email_for_notice",
                ),
            )
        return cleaned

    def clean_stamp(self):
        try:
            self.nonce = antispam.check_stamp(
                self.cleaned_data.get("stamp"), self.comparison.slug, self.reader
            )
        except antispam.StampError as error:
            raise forms.ValidationError(str(error), code="stamp") from error
        return self.cleaned_data["stamp"]

    def full_clean(self):
        super().full_clean()
        # Errors are announced next to their fields: tie each invalid input to its message.
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.fields[name].widget.attrs["aria-describedby"] = f"{name}-error"

    def refresh_stamp(self, reader):
        """After a refusal, the re-shown form carries a new stamp (the text stays)."""
        self.data = self.data.copy()
        self.data["stamp"] = antispam.issue_stamp(article=self.comparison.slug, reader=reader)

    def kept(self, reader):
        """
        A fresh form holding what the reader typed, without error messages: for refusals
        that are not about the form (too many notes, the database), which say so once.
        """
        names = ("would_pick", "target", "message", "name", "email")
        initial = {name: self.data.get(name, "") for name in names}
        for name in ("notify_on_change", "may_credit"):
            initial[name] = bool(self.data.get(name))
        return FeedbackForm(initial=initial, comparison=self.comparison, reader=reader)

    @property
    def stamp_error(self):
        errors = self.errors.get("stamp")
        return errors[0] if errors else ""
