from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.news.models import ArticleKind


class ArticleForm(forms.Form):
    agency = forms.ChoiceField(label=_("Cơ quan đăng"))
    kind = forms.ChoiceField(label=_("Loại"), choices=ArticleKind.choices)
    category = forms.ChoiceField(label=_("Chuyên mục"), required=False)
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    summary = forms.CharField(label=_("Tóm tắt"), max_length=600, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("Nội dung"), help_text=_("Văn bản thuần; các đoạn cách nhau một dòng trống."),
                           widget=forms.Textarea(attrs={"rows": 12}))
    published_at = forms.DateTimeField(label=_("Đăng lúc"), required=False,
                                       help_text=_("Để trống: lưu nháp. Thời điểm trong tương lai: hẹn giờ đăng."),
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    target_communes = forms.MultipleChoiceField(label=_("Xã, phường liên quan (thông báo)"), required=False)

    def __init__(self, *args, agencies=(), categories=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]
        self.fields["category"].choices = [("", "—")] + [(c.pk, c.name) for c in categories]
        self.fields["target_communes"].choices = [(u.pk, u.name) for u in communes]


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Ảnh (JPG, PNG, WebP, tối đa 10 MB)"))
    caption = forms.CharField(label=_("Chú thích"), max_length=300, required=False)
