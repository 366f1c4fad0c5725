import logging

from django.db import transaction
from django.http import JsonResponse

from .models import Order, OrderLine

logger = logging.getLogger(__name__)


def order_list(request):
    orders = Order.objects.filter(customer_id=request.user.id)  # expect: ARCH-LAYERS expect: API-PAGINATION expect: API-PAGINATION
    data = []
    for o in orders:
        lines = OrderLine.objects.filter(order=o).count()  # expect: DATA-NPLUS1
        data.append({"id": o.id, "lines": lines})
    return JsonResponse(data, safe=False)


def order_list_prefetched(request):
    orders = Order.objects.prefetch_related("lines")  # expect: ARCH-LAYERS
    return JsonResponse([{"id": o.id, "lines": len(o.lines.all())} for o in orders], safe=False)  # lookalike: DATA-NPLUS1


def checkout(request):
    order = Order.objects.create(customer_id=request.user.id)  # expect: ARCH-LAYERS expect: DATA-TX
    OrderLine.objects.create(order=order, sku=request.POST["sku"])
    return JsonResponse({"id": order.id})


@transaction.atomic
def checkout_atomic(request):
    order = Order.objects.create(customer_id=request.user.id)  # expect: ARCH-LAYERS lookalike: DATA-TX
    OrderLine.objects.create(order=order, sku=request.POST["sku"])
    return JsonResponse({"id": order.id})


def reset_password(request):
    token = request.POST["token"]
    logger.info("password reset with token %s", token)  # expect: OBS-LOGSECRETS
    logger.info("password reset for user %s", request.user.id)  # lookalike: OBS-LOGSECRETS
    return JsonResponse({"ok": True})
