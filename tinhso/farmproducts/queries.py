"""Read-side queries: public traceability data and the programme figures."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.translation import gettext as _

from tinhso.farmproducts.models import Batch, CodeStatus, GrowingArea, Product


def programme_figures():
    from tinhso.dashboard.programme import Figure

    return [
        Figure("products_on_ecommerce", _("Sản phẩm nông nghiệp trên sàn thương mại điện tử"),
               Product.objects.filter(shop_links__isnull=False).distinct().count(), "sản phẩm",
               url=reverse("farmproducts:index")),
        Figure("growing_area_codes", _("Mã số vùng trồng đang hiệu lực"),
               GrowingArea.objects.filter(status=CodeStatus.ACTIVE).count(), "mã",
               url=reverse("farmproducts:areas")),
    ]


def public_batch(code: str) -> Batch | None:
    """The batch with this code (any case), with everything its public page
    shows; None for an unknown or malformed code."""
    if not re.fullmatch(r"[A-Za-z0-9]{1,30}", (code or "").strip()):
        return None
    return (Batch.objects.select_related("product__producer__unit__parent", "growing_area__unit__parent",
                                         "packing_house__unit__parent")
            .prefetch_related("product__certifications", "product__shop_links", "product__photos")
            .filter(code=code.strip().upper()).first())
