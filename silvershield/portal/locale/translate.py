"""Fill the portal's zh_Hans catalogue from the table below and compile it (run after makemessages):

    cd silvershield/portal && ../../.venv/bin/django-admin makemessages -l zh_Hans --no-obsolete \
      && ../../.venv/bin/python locale/translate.py
"""

from pathlib import Path

import polib

ZH = {
    "Public portal": "公众举报入口",
    "Have the business checked and punished": "请有关部门查处这家商家（举报）",
    "Get my money back (a complaint against the business)": "想把钱要回来（投诉商家）",
    "Leave my name and phone, so officers can call me": "留下姓名和电话，方便工作人员联系我",
    "Stay anonymous": "匿名，不留姓名",
    "Write the amount in numbers, e.g. 3000": "请用数字填写金额，例如 3000",
    "This amount is not possible": "这个金额不对，请再看一下",
    "Who was cheated? I am the elderly person's…": "谁受骗了？我是受骗老人的……",
    "Age of the elderly person": "老人的年龄",
    "Leave empty if you do not know.": "不知道可以不填。",
    "How did they get in touch with the elderly person?": "对方是怎么找上老人的？",
    "What happened?": "发生了什么事？",
    "In your own words: what they said, what was bought, when and where.": "用您自己的话说：对方说了什么、买了什么、什么时候、在哪里。",
    "How much money was lost (yuan)?": "损失了多少钱（元）？",
    "Leave empty if no money was lost or you are not sure.": "没有损失或不清楚可以不填。",
    "Where did it happen? (county or district)": "事情发生在哪个旗县区？",
    "Name of the business or shop": "商家或店铺的名称",
    "As on the sign, leaflet or receipt, if you know it.": "按招牌、宣传单或收据上写的填，知道就填。",
    "Its address": "商家地址",
    "Photos of receipts, leaflets or products": "收据、宣传单或产品的照片",
    "Optional. JPG, PNG or PDF, up to 5 files of 10 MB each.": "可以不传。支持 JPG、PNG 照片或 PDF，最多 5 个，每个不超过 10 MB。",
    "What would you like?": "您希望怎么处理？",
    "Do you want to leave your name?": "是否留下姓名？",
    "Your name": "您的姓名",
    "Your phone number": "您的电话号码",
    "Last four digits of a phone number (optional)": "手机号后四位",
    "Only if you stay anonymous and want to check progress later. We keep only a scrambled form of these four digits, never your number.":
        "匿名举报又想以后查询进度时填写。我们只保存这四位数字加密后的样子，不保存您的号码。",
    "Check question: the answer to the sum in the picture": "验证题：请算出图中算式的得数",
    "— choose —": "— 请选择 —",
    "Write the age in numbers, e.g. 72": "请用数字填写年龄，例如 72",
    "The age must be between 1 and 129": "年龄应在 1 到 129 岁之间",
    "Please tell us a little more about what happened": "请再多写几句发生了什么",
    "At most %(n)s files, please": "最多只能传 %(n)s 个文件",
    "Write exactly four digits, e.g. 5678": "请填四位数字，例如 5678",
    "Please write your name, or choose to stay anonymous": "请填写您的姓名，或者选择匿名",
    "Please write your phone number so officers can call you": "请填写您的电话号码，方便工作人员联系您",
    "Tracking code": "查询码",
    "The code you were given when you reported, e.g. K7P3-QX9-M2D.": "举报成功时给您的查询码，例如 K7P3-QX9-M2D。",
    "Last four digits of your phone": "手机号后四位",
    "Leave empty only if you reported anonymously and gave no phone digits.": "只有匿名举报、当时没有留号码时才可以不填。",
    "public portal": "公众举报入口",
    "partner system (Open311)": "合作系统（Open311）",
    "lead": "线索",
    "source": "来源",
    "partner token": "合作系统令牌",
    "note for the reporter": "给举报人的说明",
    "Optional. One or two plain sentences the reporter sees on the status page, e.g. why no case was opened. Never write names, phone numbers or internal remarks here.":
        "可不填。举报人在进度查询页看到的一两句白话，例如为什么没有立案。不得写姓名、电话或内部意见。",
    "submitted at": "提交时间",
    "portal receipt": "公众举报回执",
    "portal receipts": "公众举报回执",
    "Too many requests; try again later.": "请求太频繁，请稍后再试。",
    "Other": "其他",
    "Elder-care fraud": "养老诈骗",
    "Age of the elderly person (1–129)": "老人年龄（1–129）",
    "Money lost, in yuan": "损失金额（元）",
    "How the elderly person was approached": "对方接触老人的方式",
    "The reporter is the elderly person's…": "举报人是老人的……",
    "Name of the business": "商家名称",
    "Address of the business": "商家地址",
    "What the reporter wants": "举报人的诉求",
    "investigation (report)": "查处（举报）",
    "refund (complaint)": "退款（投诉）",
    "Send jurisdiction_id: the county division code where it happened": "请传 jurisdiction_id：事发地旗县区的区划代码",
    "Only the JSON format is offered.": "只提供 JSON 格式。",
    "Unknown jurisdiction_id.": "jurisdiction_id 无效。",
    "Unknown service_code.": "service_code 无效。",
    "%(code)s: not one of the listed values": "%(code)s：不是列出的取值之一",
    "service_code is missing or unknown": "service_code 缺失或无效",
    "description is required (what happened)": "description 必填（发生了什么）",
    "description is too long (at most 4000 characters)": "description 太长（最多 4000 字）",
    "victim_age must be a whole number from 1 to 129": "victim_age 应为 1 到 129 的整数",
    "loss_amount must be a number of yuan": "loss_amount 应为金额数字（元）",
    "phone is required when the reporter gives a name": "留了姓名时 phone 必填",
    "A valid api_key is required to post a request.": "提交请求需要有效的 api_key。",
    "Idempotency-Key is too long (at most 200 characters).": "Idempotency-Key 太长（最多 200 个字符）。",
    "at most %(n)s files in media": "media 最多 %(n)s 个文件",
    "Received. Tell the reporter to keep the tracking code.": "已收到。请提醒举报人记下查询码。",
    "A valid api_key is required.": "需要有效的 api_key。",
    "Give service_request_id (one or more, comma-separated).": "请提供 service_request_id（一个或多个，用逗号分隔）。",
    "No such request for this partner.": "本合作系统没有这个请求。",
    "Received": "已收到",
    "Registered": "已登记",
    "Being checked": "正在核查",
    "Result": "有结果",
    "A case has been opened": "已立案调查",
    "After checking, the market-supervision bureau has opened a case against the business and is investigating it under the law. Thank you for reporting it.":
        "经过核查，市场监管局已经对这家商家立案，正在依法调查。谢谢您的举报。",
    "Checked: no case was opened": "已核查，没有立案",
    "Officers checked what you reported. They did not find enough evidence of an offence that the market-supervision bureau can punish, so no case was opened. This does not mean your report was ignored. If you have new facts or evidence (receipts, leaflets, recordings), please report again.":
        "工作人员核查了您反映的情况，没有找到足够的证据证明有市场监管部门可以处罚的违法行为，所以没有立案。这不是说您的反映没有被重视。如果您有新的情况或证据（收据、宣传单、录音），请再次反映。",
    "Passed to the responsible department": "已转给主管部门处理",
    "What you reported is handled by another government department (for example health, civil affairs or financial regulators). The bureau has passed it to them to deal with.":
        "您反映的事情归其他政府部门管（例如卫生健康、民政或金融监管部门），市场监管局已经转给他们处理。",
    "Passed to the police": "已移送公安机关",
    "What you reported may be a crime of fraud, so it has been passed to the police. If money was taken, please also report it at your local police station or call 110.":
        "您反映的事情可能涉嫌诈骗犯罪，已经移送公安机关。如果被骗了钱，请同时到当地派出所报案或拨打 110。",
    "Settled through mediation": "已调解解决",
    "The market-supervision bureau mediated between the two sides and they agreed how to settle it.":
        "市场监管局在双方之间进行了调解，双方已经商定了解决办法。",
    "Your report has arrived and is waiting to be registered by the bureau's legal officer.":
        "您的反映已经收到，正在等待市场监管局登记。",
    "Your report has been registered and officers are being assigned to check it.":
        "您的反映已经登记，正在安排工作人员核查。",
    "Officers are checking what you reported. By the rules this normally takes up to 15 working days; difficult cases may take longer with approval.":
        "工作人员正在核查您反映的情况。按规定一般在 15 个工作日内核查完；情况复杂的，经批准可以延长。",
    "Checked": "已核查",
    "Officers have finished checking your report.": "工作人员已经核查完您的反映。",
    "Your report was about the same matter as another report, so the two are handled together. Progress of the combined report: %(text)s":
        "您反映的和另一件反映是同一件事，两件合在一起处理。合并后的进展：%(text)s",
    "Handled together with a similar report": "与相似的反映合并处理",
    "Please wait a moment": "请稍等一会儿",
    "Too many attempts were made from this network. Please try again in %(minutes)s minutes, or call 12315.":
        "这个网络的操作次数太多了。请 %(minutes)s 分钟后再试，或者拨打 12315。",
    "Back to the start": "回到首页",
    "(optional)": "（选填）",
    # The choices of leads.ReporterRelation and leads.Approach, in the words the portal uses.
    "myself": "本人（我自己）",
    "son or daughter": "子女",
    "husband or wife": "配偶（老伴）",
    "other relative": "其他亲属",
    "neighbour or friend": "邻居或朋友",
    "other": "其他",
    "free health lecture": "免费健康讲座",
    "free gifts or eggs": "免费送礼品、送鸡蛋",
    "free or cheap trip": "免费或低价旅游",
    "phone call": "电话联系",
    "home visit": "上门推销",
    "shop or experience store": "门店、体验店",
    "internet, live stream or short video": "网上、直播或短视频",
    "Public reporting portal": "公众举报入口",  # the link on the sign-in page (templates/core/login.html)
    "Chifeng Market Supervision": "赤峰市市场监督管理局",
    "Report elder-care fraud": "养老诈骗举报",
    "Emergency or money just taken: call the police on 110. Questions: call 12315.": "情况紧急或刚被骗了钱：请拨打 110 报警。咨询请拨打 12315。",
    "Your name and phone are kept secret and are never shown to the business.": "您的姓名和电话会被保密，绝不会告诉被举报的商家。",
    "Your report has been received": "您的举报已经收到",
    "Your tracking code:": "您的查询码：",
    "Please write this code down now": "请现在就把查询码抄下来",
    ", or take a photo of this page.": "，或者用手机把这一页拍下来。",
    "With this code and the last four digits of your phone you can see what happened to your report. The code is shown only on this page: keep it safe.":
        "凭这个查询码和手机号后四位，可以查到您的举报办得怎么样了。查询码只在这一页显示，请务必记好。",
    "Print this page": "打印这一页",
    "Check progress": "查询办理进度",
    "Has an elderly person been cheated?": "家里老人被骗了吗？",
    "Free lectures, free gifts or eggs, cheap trips, “health products” that cure everything, high-interest “elder-care projects”: tell us. You do not need an account. A family member can report for the elderly person.":
        "免费讲座、送鸡蛋送礼品、低价旅游、包治百病的“保健品”、高利息的“养老项目”……遇到了请告诉我们。不用注册，家里人也可以替老人举报。",
    "Report it now": "我要举报",
    "About 5 minutes. You get a tracking code at the end.": "大约 5 分钟，最后会给您一个查询码",
    "With your tracking code": "凭查询码查询",
    "What happens after you report": "举报以后会怎样",
    "The market-supervision bureau of your county receives and registers it.": "您所在旗县区的市场监管局收到后登记。",
    "Officers check the business, normally within 15 working days.": "工作人员去核查商家，一般在 15 个工作日内。",
    "You can see the result with your tracking code on this site.": "凭查询码可以在这个网站上看到结果。",
    "Answer what you can. Only the questions without “(optional)” are needed.": "知道多少填多少。标着“选填”的问题可以空着。",
    "Please look at the questions marked in red below:": "请看下面标红的问题：",
    "The elderly person": "受骗的老人",
    "What happened": "发生了什么",
    "Where, and which business": "在哪里、是哪家商家",
    "How we can reach you": "怎么联系您",
    "Send": "提交",
    "Send the report": "提交举报",
    "Press once and wait: pressing twice does not send it twice.": "按一次就好，请稍等；多按几次也只会提交一次。",
    "Progress": "进度",
    "Received on": "收到日期",
    "Check another report": "查询另一件举报",
    "Check": "查询",
    "This form was open too long. Please check your answers and send it again.": "这张表打开的时间太长了。请检查一下填写的内容，再提交一次。",
    "The answer to the check question is not right. Please try the new one.": "验证题的答案不对，请重新算一下新的题目。",
    "We could not find a report with this tracking code and these phone digits. Please check both and try again, or call 12315.":
        "没有查到。请核对查询码和手机号后四位后再试，或者拨打 12315。",
}

po_path = Path(__file__).parent / "zh_Hans" / "LC_MESSAGES" / "django.po"
po = polib.pofile(str(po_path))
missing = []
for entry in po:
    if entry.obsolete:
        continue
    if entry.msgid in ZH:
        entry.msgstr = ZH[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    else:
        missing.append(entry.msgid)
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
po.metadata["Language"] = "zh_Hans"
po.save()
po.save_as_mofile(str(po_path.with_suffix(".mo")))
print("untranslated:", missing or "none")
