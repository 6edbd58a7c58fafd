from django import forms
from django.utils.translation import gettext_lazy as _


class AskForm(forms.Form):
    agency = forms.ChoiceField(label=_("Cơ quan nhận câu hỏi"))
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    body = forms.CharField(label=_("Nội dung câu hỏi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—")] + [(a.pk, a.name) for a in agencies]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Câu trả lời"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
