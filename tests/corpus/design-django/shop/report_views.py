"""Monthly reports for the shop."""

from decimal import Decimal

from django.http import JsonResponse

from .exports import load_rows


def monthly_report(request):  # expect: ARCH-GIANT
    rows = load_rows(request.GET.get("month"))
    totals = {}
    counts = {}
    grand = Decimal(0)
    # bucket 0: rows whose id ends in 0
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 0)
    # bucket 1: rows whose id ends in 1
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 1)
    # bucket 2: rows whose id ends in 2
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 2)
    # bucket 3: rows whose id ends in 3
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 3)
    # bucket 4: rows whose id ends in 4
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 4)
    # bucket 5: rows whose id ends in 5
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 5)
    # bucket 6: rows whose id ends in 6
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 6)
    # bucket 7: rows whose id ends in 7
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 7)
    # bucket 8: rows whose id ends in 8
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 8)
    # bucket 9: rows whose id ends in 9
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 9)
    # bucket 10: rows whose id ends in 0
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 10)
    # bucket 11: rows whose id ends in 1
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 11)
    # bucket 12: rows whose id ends in 2
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 12)
    # bucket 13: rows whose id ends in 3
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 13)
    # bucket 14: rows whose id ends in 4
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 14)
    # bucket 15: rows whose id ends in 5
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 15)
    # bucket 16: rows whose id ends in 6
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 16)
    # bucket 17: rows whose id ends in 7
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 17)
    # bucket 18: rows whose id ends in 8
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 18)
    # bucket 19: rows whose id ends in 9
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 19)
    # bucket 20: rows whose id ends in 0
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 20)
    # bucket 21: rows whose id ends in 1
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 21)
    # bucket 22: rows whose id ends in 2
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 22)
    # bucket 23: rows whose id ends in 3
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 23)
    # bucket 24: rows whose id ends in 4
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 24)
    # bucket 25: rows whose id ends in 5
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 25)
    # bucket 26: rows whose id ends in 6
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 26)
    # bucket 27: rows whose id ends in 7
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 27)
    # bucket 28: rows whose id ends in 8
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 28)
    # bucket 29: rows whose id ends in 9
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 29)
    # bucket 30: rows whose id ends in 0
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 30)
    # bucket 31: rows whose id ends in 1
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 31)
    # bucket 32: rows whose id ends in 2
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 32)
    # bucket 33: rows whose id ends in 3
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 33)
    # bucket 34: rows whose id ends in 4
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 34)
    # bucket 35: rows whose id ends in 5
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 35)
    # bucket 36: rows whose id ends in 6
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 36)
    # bucket 37: rows whose id ends in 7
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 37)
    # bucket 38: rows whose id ends in 8
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 38)
    # bucket 39: rows whose id ends in 9
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 39)
    # bucket 40: rows whose id ends in 0
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 40)
    # bucket 41: rows whose id ends in 1
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 41)
    # bucket 42: rows whose id ends in 2
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 42)
    # bucket 43: rows whose id ends in 3
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 43)
    # bucket 44: rows whose id ends in 4
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 44)
    # bucket 45: rows whose id ends in 5
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 45)
    # bucket 46: rows whose id ends in 6
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 46)
    # bucket 47: rows whose id ends in 7
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 47)
    # bucket 48: rows whose id ends in 8
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 48)
    # bucket 49: rows whose id ends in 9
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 49)
    # bucket 50: rows whose id ends in 0
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 50)
    # bucket 51: rows whose id ends in 1
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 51)
    # bucket 52: rows whose id ends in 2
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 52)
    # bucket 53: rows whose id ends in 3
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 53)
    # bucket 54: rows whose id ends in 4
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 54)
    # bucket 55: rows whose id ends in 5
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 55)
    # bucket 56: rows whose id ends in 6
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 56)
    # bucket 57: rows whose id ends in 7
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 57)
    # bucket 58: rows whose id ends in 8
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 58)
    # bucket 59: rows whose id ends in 9
    grand += sum(Decimal(r["amount"]) for r in rows if r["id"] % 60 == 59)
    for r in rows:
        totals[r["region"]] = totals.get(r["region"], 0) + r["amount"]
        counts[r["region"]] = counts.get(r["region"], 0) + 1
    return JsonResponse({"grand": str(grand), "totals": totals, "counts": counts})


def export_rows(request):  # lookalike: ARCH-GIANT
    rows = load_rows(request.GET.get("month"))
    column_0 = [r.get("c0") for r in rows]
    column_1 = [r.get("c1") for r in rows]
    column_2 = [r.get("c2") for r in rows]
    column_3 = [r.get("c3") for r in rows]
    column_4 = [r.get("c4") for r in rows]
    column_5 = [r.get("c5") for r in rows]
    column_6 = [r.get("c6") for r in rows]
    column_7 = [r.get("c7") for r in rows]
    column_8 = [r.get("c8") for r in rows]
    column_9 = [r.get("c9") for r in rows]
    column_10 = [r.get("c10") for r in rows]
    column_11 = [r.get("c11") for r in rows]
    column_12 = [r.get("c12") for r in rows]
    column_13 = [r.get("c13") for r in rows]
    column_14 = [r.get("c14") for r in rows]
    column_15 = [r.get("c15") for r in rows]
    column_16 = [r.get("c16") for r in rows]
    column_17 = [r.get("c17") for r in rows]
    column_18 = [r.get("c18") for r in rows]
    column_19 = [r.get("c19") for r in rows]
    column_20 = [r.get("c20") for r in rows]
    column_21 = [r.get("c21") for r in rows]
    column_22 = [r.get("c22") for r in rows]
    column_23 = [r.get("c23") for r in rows]
    column_24 = [r.get("c24") for r in rows]
    column_25 = [r.get("c25") for r in rows]
    column_26 = [r.get("c26") for r in rows]
    column_27 = [r.get("c27") for r in rows]
    column_28 = [r.get("c28") for r in rows]
    column_29 = [r.get("c29") for r in rows]
    column_30 = [r.get("c30") for r in rows]
    column_31 = [r.get("c31") for r in rows]
    column_32 = [r.get("c32") for r in rows]
    column_33 = [r.get("c33") for r in rows]
    column_34 = [r.get("c34") for r in rows]
    column_35 = [r.get("c35") for r in rows]
    column_36 = [r.get("c36") for r in rows]
    column_37 = [r.get("c37") for r in rows]
    column_38 = [r.get("c38") for r in rows]
    column_39 = [r.get("c39") for r in rows]
    column_40 = [r.get("c40") for r in rows]
    column_41 = [r.get("c41") for r in rows]
    column_42 = [r.get("c42") for r in rows]
    column_43 = [r.get("c43") for r in rows]
    column_44 = [r.get("c44") for r in rows]
    column_45 = [r.get("c45") for r in rows]
    column_46 = [r.get("c46") for r in rows]
    column_47 = [r.get("c47") for r in rows]
    return JsonResponse([column_0, column_1, column_2, column_3, column_4, column_5, column_6, column_7, column_8, column_9, column_10, column_11, column_12, column_13, column_14, column_15, column_16, column_17, column_18, column_19, column_20, column_21, column_22, column_23, column_24, column_25, column_26, column_27, column_28, column_29, column_30, column_31, column_32, column_33, column_34, column_35, column_36, column_37, column_38, column_39, column_40, column_41, column_42, column_43, column_44, column_45, column_46, column_47], safe=False)
