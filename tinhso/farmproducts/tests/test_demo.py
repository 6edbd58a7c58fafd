import pytest

from tinhso.demo.seed import seed_agencies
from tinhso.farmproducts.demo import seed_farm_products
from tinhso.farmproducts.models import Batch, GrowingArea, Product
from tinhso.farmproducts.queries import programme_figures

pytestmark = pytest.mark.django_db


def test_the_demo_farm_products_load_once_and_feed_the_programme_figures(real_units):
    seed_agencies()
    assert seed_farm_products() is True
    counts = (Product.objects.count(), GrowingArea.objects.count(), Batch.objects.count())
    assert seed_farm_products() is False
    assert (Product.objects.count(), GrowingArea.objects.count(), Batch.objects.count()) == counts
    figures = {f.key: f.value for f in programme_figures()}
    assert figures["products_on_ecommerce"] == 5 and figures["growing_area_codes"] == 5
    assert Product.objects.filter(name="Dâu Hạ Châu", ocop_stars=4).exists()
