from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.workcalendar.engine import DAYS, WORKING_DAYS, WORKING_HOURS
from tinhso.workcalendar.models import WEEKDAY_LABELS, CalendarDay, WorkSchedule

UNIT_CHOICES = [(WORKING_DAYS, _("ngày làm việc")), (WORKING_HOURS, _("giờ làm việc")), (DAYS, _("ngày theo lịch"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class CalculatorForm(forms.Form):
    """Máy tính ngày hẹn trả kết quả."""

    start_date = forms.DateField(label=_("Ngày tiếp nhận"), widget=DateInput())
    start_time = forms.TimeField(label=_("Giờ tiếp nhận"), widget=TimeInput(), initial=datetime.time(8, 0))
    amount = forms.IntegerField(label=_("Thời hạn giải quyết"), min_value=0, max_value=2000, initial=1)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=UNIT_CHOICES, initial=WORKING_DAYS)

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if not 1976 <= value.year <= 2199:
            raise forms.ValidationError(_("Năm phải từ 1976 đến 2199."))
        return value


class DayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "source", "confirmed"]
        widgets = {"date": DateInput()}


class ScheduleForm(forms.ModelForm):
    weekday_set = forms.MultipleChoiceField(
        label=_("Ngày làm việc trong tuần"), choices=[(str(k), v) for k, v in WEEKDAY_LABELS.items()],
        widget=forms.CheckboxSelectMultiple, initial=list("12345"))

    class Meta:
        model = WorkSchedule
        fields = ["valid_from", "morning_start", "morning_end", "afternoon_start", "afternoon_end", "source"]
        widgets = {"valid_from": DateInput(), "morning_start": TimeInput(), "morning_end": TimeInput(),
                   "afternoon_start": TimeInput(), "afternoon_end": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekday_set"] = list(self.instance.weekdays)

    def values(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["weekdays"] = "".join(sorted(self.cleaned_data["weekday_set"]))
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1900, max_value=2199)
