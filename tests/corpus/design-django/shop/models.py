from django.db import models


class Order(models.Model):
    customer = models.ForeignKey("Customer", on_delete=models.CASCADE)  # lookalike: DATA-FKINDEX
    coupon = models.ForeignKey("Coupon", null=True, on_delete=models.SET_NULL, db_index=False)  # expect: DATA-FKINDEX
    shop = models.ForeignKey("Shop", on_delete=models.CASCADE, db_index=False)  # lookalike: DATA-FKINDEX
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["shop", "created"])]


class OrderLine(models.Model):
    order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)  # lookalike: DATA-FKINDEX
    sku = models.CharField(max_length=64)
