from django.db import connection
from django.http import JsonResponse

from .models import Product

API_TOKEN = "ghp_4aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"  # expect: SEC-SECRET


def product_list(request):
    products = Product.objects.filter(category=request.GET.get("category"))  # lookalike: SEC-SQLI expect: API-PAGINATION expect: ARCH-LAYERS
    return JsonResponse({"products": [p.name for p in products]})


def product_search(request):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM shop_product WHERE name LIKE '%%" + term + "%%'")  # expect: SEC-SQLI expect: ARCH-LAYERS expect: API-PAGINATION
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})


def product_detail(request, pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM shop_product WHERE id = %s", [pk])  # lookalike: SEC-SQLI expect: ARCH-LAYERS
        row = cursor.fetchone()
    return JsonResponse({"row": row})
