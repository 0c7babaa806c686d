/**
 * The multi-step intake form for complaints and reports, in the order the 12315 platform uses.
 * Every step is checked with the shared schemas before moving on; the whole form autosaves as a
 * draft on the server, so it resumes on another device or platform after sign-in.
 */
import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Image, Picker, Text, View } from '@tarojs/components';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { CATEGORY_TREE, PROBLEM_TYPE_TREE, findNode } from '@shared/complaint/categories';
import {
  BUSINESS_KIND_LABELS,
  CHANNEL_LABELS,
  CHANNELS,
  DEMAND_LABELS,
  DEMANDS,
  EVIDENCE_KIND_LABELS,
  JURISDICTION_LABELS,
  KNOWN_PLATFORMS,
  LIMITS,
  type JurisdictionBasis,
} from '@shared/complaint/intake';
import {
  ApiError,
  createComplaint,
  createReport,
  deleteDraft,
  loadDraft,
  messageOf,
  recommendJurisdiction,
  saveDraft,
  suggestRespondents,
  uploadEvidence,
  type CaseCreated,
  type JurisdictionRecommendation,
} from '../../services/api';
import { CAN_PICK_DOCUMENTS, chooseDocuments, chooseEvidence } from '../../platform/media';
import Chips from '../../components/Chips';
import RegionPicker from '../../components/RegionPicker';
import { newIdempotencyKey } from '../../utils/idempotency';
import {
  STEPS,
  complaintBody,
  emptyForm,
  fromDraft,
  reportBody,
  stepErrors,
  toDraft,
  todayString,
  type Errors,
  type FormState,
  type IntakeKind,
} from './form';
import SubmittedView from './SubmittedView';
import { loadProfile } from '../../services/identity';

const AUTOSAVE_MS = 800;
const SUGGEST_MS = 300;

const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) => keys.map((k) => ({ value: k, label: labels[k] }));

function FieldError({ errors, path }: { errors: Errors; path: string }) {
  return errors[path] ? <Text className="error-text field-error">{errors[path]}</Text> : null;
}

export default function IntakeForm({ kind }: { kind: IntakeKind }) {
  const [form, setForm] = useState<FormState>(emptyForm);
  const [loaded, setLoaded] = useState(false);
  const [restored, setRestored] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState('');
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [submitting, setSubmitting] = useState(false);
  const [duplicate, setDuplicate] = useState('');
  const [created, setCreated] = useState<CaseCreated | null>(null);
  const [suggestions, setSuggestions] = useState<Array<{ name: string; creditCode?: string }>>([]);
  const [uploading, setUploading] = useState(false);
  const [recommendation, setRecommendation] = useState<JurisdictionRecommendation | null>(null);
  const suggestTimer = useRef<ReturnType<typeof setTimeout>>();
  // Complaints are filed by a verified person (Art 9); the draft keeps what was typed meanwhile.
  const [complainant, setComplainant] = useState<{ verified: boolean; name?: string } | null>(null);

  const steps = STEPS[kind];
  const step = steps[Math.min(form.step, steps.length - 1)];
  const noun = kind === 'complaint' ? '投诉' : '举报';
  const party = kind === 'complaint' ? '被投诉方' : '被举报方';

  const checkComplainant = () => {
    if (kind !== 'complaint') return;
    loadProfile().then(
      ({ user, profile }) => setComplainant({ verified: user.verified, name: profile.identity?.name }),
      () => undefined,
    );
  };
  // Again on every show (the consumer may come back from the 实名认证 page), and on each step
  // while still unverified (verification may have finished on another device).
  useDidShow(checkComplainant);
  useEffect(() => {
    if (complainant && !complainant.verified) checkComplainant();
  }, [form.step]);

  // Resume a draft saved on any device of this account.
  useEffect(() => {
    loadDraft(kind).then(
      (draft) => {
        if (draft) {
          setForm(fromDraft(draft.data));
          setRestored(true);
        }
        setLoaded(true);
      },
      () => setLoaded(true),
    );
  }, [kind]);

  // Autosave, debounced: typing never waits for the network, and a lost save is retried by the next keystroke.
  // An untouched form is not a draft.
  const pristine = useRef(true);
  useEffect(() => {
    if (!loaded || created) return undefined;
    if (pristine.current) {
      pristine.current = false;
      return undefined;
    }
    const timer = setTimeout(() => {
      saveDraft(kind, toDraft(form)).catch(() => undefined);
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [form, loaded, kind, created]);

  // The review step shows which bureau the chosen rule leads to.
  useEffect(() => {
    if (step.key !== 'review') return;
    const r = form.respondent;
    setRecommendation(null);
    recommendJurisdiction({
      basis: form.basis,
      channel: kind === 'complaint' ? form.business.channel || undefined : undefined,
      regionCode: r.regionCode,
      domicileRegionCode: r.domicileRegionCode || undefined,
      platformRegionCode: r.platform.regionCode || undefined,
    }).then(setRecommendation, (err: unknown) => setFormError(messageOf(err)));
  }, [step.key, form.basis, form.respondent, form.business.channel, kind]);

  const update = (change: (f: FormState) => FormState) => setForm((f) => change(f));
  const setRespondent = (patch: Partial<FormState['respondent']>) => update((f) => ({ ...f, respondent: { ...f.respondent, ...patch } }));
  const setBusiness = (patch: Partial<FormState['business']>) => update((f) => ({ ...f, business: { ...f.business, ...patch } }));
  const setConsumer = (patch: Partial<FormState['consumer']>) => update((f) => ({ ...f, consumer: { ...f.consumer, ...patch } }));

  const typeName = (name: string) => {
    setRespondent({ name });
    clearTimeout(suggestTimer.current);
    if (name.trim().length < 2) return setSuggestions([]);
    suggestTimer.current = setTimeout(() => {
      suggestRespondents(name.trim()).then(
        (items) => setSuggestions(items.filter((i) => i.name !== name.trim())),
        () => setSuggestions([]),
      );
    }, SUGGEST_MS);
  };

  const goTo = (index: number) => {
    setErrors({});
    setFormError('');
    update((f) => ({ ...f, step: index }));
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
  };

  const next = () => {
    const found = stepErrors(step.key, form, kind);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError('请先修正标红的内容');
      return;
    }
    goTo(form.step + 1);
  };

  const startOver = () => {
    deleteDraft(kind).catch(() => undefined);
    setForm(emptyForm());
    setRestored(false);
    setErrors({});
    setFormError('');
    setDuplicate('');
    setIdempotencyKey(newIdempotencyKey());
    setCreated(null);
  };

  const addEvidence = async (mediaKind: 'image' | 'video' | 'pdf') => {
    const room = LIMITS.evidencePerCase - form.evidence.length;
    if (room <= 0 || uploading) return;
    setFormError('');
    const picked = await (mediaKind === 'pdf' ? chooseDocuments(room) : chooseEvidence(mediaKind, room)).catch((err: unknown) => {
      setFormError(messageOf(err));
      return [];
    });
    if (picked.length === 0) return;
    setUploading(true);
    try {
      for (const file of picked) {
        const reply = await uploadEvidence(file.path, file.kind);
        update((f) => ({ ...f, evidence: [...f.evidence, { fileId: reply.fileId, kind: reply.kind, sha256: reply.sha256, name: file.path }] }));
      }
    } catch (err) {
      setFormError(messageOf(err));
    } finally {
      setUploading(false);
    }
  };

  const submit = async (fileAnyway = false) => {
    if (submitting) return;
    const found = stepErrors('review', form, kind);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError(Object.values(found)[0]);
      return;
    }
    setSubmitting(true);
    setFormError('');
    setDuplicate('');
    try {
      const reply = kind === 'complaint' ? await createComplaint(complaintBody(form, fileAnyway), idempotencyKey) : await createReport(reportBody(form), idempotencyKey);
      setCreated(reply);
      Taro.pageScrollTo({ scrollTop: 0, duration: 0 });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'DUPLICATE_OPEN_CASE') setDuplicate(err.message);
      else if (err instanceof ApiError && err.code === 'IDENTITY_REQUIRED') setComplainant({ verified: false });
      else setFormError(messageOf(err));
    } finally {
      setSubmitting(false);
    }
  };

  if (created) return <SubmittedView created={created} onStartAnother={startOver} />;

  const r = form.respondent;
  const b = form.business;
  const categories = findNode(CATEGORY_TREE, b.kind)?.children ?? [];
  const problems = findNode(PROBLEM_TYPE_TREE, b.nature)?.children ?? [];
  const bases: JurisdictionBasis[] = ['place_of_business', 'domicile', ...((kind === 'complaint' ? b.channel === 'online_platform' : Boolean(r.platform.name)) ? (['platform_domicile'] as const) : [])];

  // The complainant's (or a real-name reporter's) phone and address: the same fields in both forms.
  const contactFields = (
    <>
      <View className="field field-phone">
        <Text className="field-label">手机号码</Text>
        <Input type="digit" value={form.consumer.phone} placeholder="11 位手机号" maxLength={11} onChange={(phone) => setConsumer({ phone })} />
        <FieldError errors={errors} path="consumer.phone" />
      </View>
      <View className="field field-consumer-address">
        <Text className="field-label">联系地址</Text>
        <Input value={form.consumer.address} placeholder="便于承办部门联系您" maxLength={LIMITS.address.max} onChange={(address) => setConsumer({ address })} />
        <FieldError errors={errors} path="consumer.address" />
      </View>
    </>
  );

  const platformFields = (
    <View className="field field-platform">
      <Text className="field-label">网络平台</Text>
      <Chips
        options={KNOWN_PLATFORMS.map((p) => ({ value: p.name, label: p.name }))}
        value={r.platform.name}
        onChange={(name) => {
          const known = KNOWN_PLATFORMS.find((p) => p.name === name)!;
          setRespondent({ platform: { name, regionCode: known.regionCode, regionLabel: '' } });
        }}
      />
      <Input className="input-platform" value={r.platform.name} placeholder="其他平台请填写名称" maxLength={LIMITS.platformName.max} onChange={(name) => setRespondent({ platform: { ...r.platform, name } })} />
      {!KNOWN_PLATFORMS.some((p) => p.name === r.platform.name) && r.platform.name && (
        <RegionPicker
          value={r.platform.regionCode ? { code: r.platform.regionCode, label: r.platform.regionLabel } : undefined}
          onChange={(p) => setRespondent({ platform: { ...r.platform, regionCode: p.code, regionLabel: p.label } })}
        />
      )}
      <FieldError errors={errors} path="respondent.platform.name" />
      <FieldError errors={errors} path="respondent.platform.regionCode" />
    </View>
  );

  return (
    <View className="complaint-form">
      <View className="steps">
        {steps.map((s, i) => (
          <Text key={s.key} className={`step ${i === form.step ? 'step-on' : ''} ${i < form.step ? 'step-done' : ''}`}>
            {i + 1}. {s.title}
          </Text>
        ))}
      </View>

      {complainant && !complainant.verified && (
        <View className="card verify-needed">
          <Text className="hint">投诉需要先完成实名认证，已填写的内容会自动保存为草稿。</Text>
          <Button className="btn-go-verify" type="primary" size="small" onClick={() => Taro.navigateTo({ url: '/pages/verify/index' })}>
            去实名认证
          </Button>
        </View>
      )}
      {complainant?.verified && complainant.name && step.key === 'consumer' && (
        <View className="card complainant-name">
          <Text className="hint">投诉人：{complainant.name}（已实名认证）</Text>
        </View>
      )}

      {restored && (
        <View className="card draft-note">
          <Text className="hint">已恢复您上次未提交的草稿。</Text>
          <Text className="link btn-start-over" onClick={startOver}>
            重新填写
          </Text>
        </View>
      )}

      {step.key === 'respondent' && (
        <View className="card">
          <View className="field field-respondent">
            <Text className="field-label">{party}名称</Text>
            <Input name="respondentName" value={r.name} placeholder="商家、企业或网店的名称" maxLength={LIMITS.respondentName.max} onChange={typeName} />
            {suggestions.length > 0 && (
              <View className="suggestions">
                {suggestions.map((s) => (
                  <Text
                    key={`${s.name}${s.creditCode ?? ''}`}
                    className="suggestion"
                    onClick={() => {
                      setRespondent({ name: s.name, creditCode: s.creditCode ?? r.creditCode });
                      setSuggestions([]);
                    }}
                  >
                    {s.name}
                  </Text>
                ))}
              </View>
            )}
            <FieldError errors={errors} path="respondent.name" />
          </View>
          <View className="field field-credit-code optional">
            <Text className="field-label">统一社会信用代码（选填）</Text>
            <Input value={r.creditCode} placeholder="18 位，可在营业执照上找到" maxLength={18} onChange={(creditCode) => setRespondent({ creditCode: creditCode.toUpperCase() })} />
            <FieldError errors={errors} path="respondent.creditCode" />
          </View>
          <View className="field field-region">
            <Text className="field-label">经营地所在地区</Text>
            <RegionPicker className="picker-region" value={r.regionCode ? { code: r.regionCode, label: r.regionLabel } : undefined} onChange={(p) => setRespondent({ regionCode: p.code, regionLabel: p.label })} />
            <FieldError errors={errors} path="respondent.regionCode" />
          </View>
          <View className="field field-address">
            <Text className="field-label">详细地址</Text>
            <Input value={r.address} placeholder="街道、门牌号，网店可填平台店铺地址" maxLength={LIMITS.address.max} onChange={(address) => setRespondent({ address })} />
            <FieldError errors={errors} path="respondent.address" />
          </View>
          <View className="field field-domicile optional">
            <Text className="field-label">住所地（注册地，与经营地不同时选填）</Text>
            <RegionPicker value={r.domicileRegionCode ? { code: r.domicileRegionCode, label: r.domicileRegionLabel } : undefined} onChange={(p) => setRespondent({ domicileRegionCode: p.code, domicileRegionLabel: p.label })} />
          </View>
          {kind === 'report' && platformFields}
        </View>
      )}

      {step.key === 'consumer' && (
        <View className="card">
          <Text className="hint">投诉人姓名和身份证号取自您的实名认证信息，仅向承办部门展示。</Text>
          {contactFields}
        </View>
      )}

      {step.key === 'business' && (
        <View className="card">
          <View className="field field-kind">
            <Text className="field-label">商品还是服务</Text>
            <Chips options={options(['goods', 'services'] as const, BUSINESS_KIND_LABELS)} value={b.kind} onChange={(k) => setBusiness({ kind: k, categoryCode: '' })} />
          </View>
          <View className="field field-category">
            <Text className="field-label">投诉分类</Text>
            <Chips options={categories.map((c) => ({ value: c.code, label: c.name }))} value={b.categoryCode} onChange={(categoryCode) => setBusiness({ categoryCode })} />
            <FieldError errors={errors} path="business.categoryCode" />
          </View>
          <View className="field field-problem">
            <Text className="field-label">问题类型</Text>
            <Chips options={PROBLEM_TYPE_TREE.map((n) => ({ value: n.code, label: n.name }))} value={b.nature} onChange={(nature) => setBusiness({ nature, problemTypeCode: '' })} />
            {problems.length > 0 && (
              <Chips className="sub-chips" options={problems.map((p) => ({ value: p.code, label: p.name }))} value={b.problemTypeCode} onChange={(problemTypeCode) => setBusiness({ problemTypeCode })} />
            )}
            <FieldError errors={errors} path="business.problemTypeCode" />
          </View>
          <View className="field field-channel">
            <Text className="field-label">购买渠道</Text>
            <Chips options={options(CHANNELS, CHANNEL_LABELS)} value={b.channel} onChange={(channel) => setBusiness({ channel })} />
            <FieldError errors={errors} path="business.channel" />
          </View>
          {b.channel === 'online_platform' && platformFields}
          <View className="field field-product">
            <Text className="field-label">商品或服务名称</Text>
            <Input value={b.productName} placeholder="如：变频空调、健身年卡" maxLength={LIMITS.productName.max} onChange={(productName) => setBusiness({ productName })} />
            <FieldError errors={errors} path="business.productName" />
          </View>
          <View className="field field-amount">
            <Text className="field-label">涉及金额（元）</Text>
            <Input type="digit" value={b.amountYuan} placeholder="如 3299.00" maxLength={12} onChange={(amountYuan) => setBusiness({ amountYuan })} />
            <FieldError errors={errors} path="business.amountCents" />
          </View>
          <View className="field field-date">
            <Text className="field-label">购买或事发日期</Text>
            <Picker mode="date" value={b.occurredOn} end={todayString()} onChange={(e) => setBusiness({ occurredOn: String(e.detail.value) })}>
              <View className="picker-value">{b.occurredOn}</View>
            </Picker>
            <FieldError errors={errors} path="business.occurredOn" />
          </View>
          <View className="field field-description">
            <Text className="field-label">问题描述</Text>
            <TextArea value={form.description} placeholder={`请写明经过、遇到的问题和与商家协商的情况（${LIMITS.description.min}-${LIMITS.description.max} 字）`} maxLength={LIMITS.description.max} onChange={(description) => update((f) => ({ ...f, description }))} />
            <View className="field-footer">
              <FieldError errors={errors} path="description" />
              <Text className="description-count">
                {form.description.trim().length}/{LIMITS.description.max}
              </Text>
            </View>
          </View>
          <View className="field field-demands">
            <Text className="field-label">诉求</Text>
            <Chips
              options={options(DEMANDS, DEMAND_LABELS)}
              values={b.demands.map((d) => d.type)}
              onChange={(types: string[]) => setBusiness({ demands: types.map((type) => b.demands.find((d) => d.type === type) ?? { type }) })}
            />
            {b.demands.some((d) => d.type === 'other') && (
              <Input
                className="input-other-demand"
                value={b.demands.find((d) => d.type === 'other')?.text ?? ''}
                placeholder="请写明其他诉求"
                maxLength={LIMITS.demandText.max}
                onChange={(text) => setBusiness({ demands: b.demands.map((d) => (d.type === 'other' ? { type: 'other', text } : d)) })}
              />
            )}
            <FieldError errors={errors} path="business.demands" />
            <FieldError errors={errors} path={`business.demands.${b.demands.findIndex((d) => d.type === 'other')}.text`} />
          </View>
        </View>
      )}

      {step.key === 'facts' && (
        <View className="card">
          <View className="field field-description">
            <Text className="field-label">举报内容</Text>
            <TextArea value={form.description} placeholder="请写明违法行为的时间、地点、经过等具体线索（至少 20 字）" maxLength={LIMITS.description.max} onChange={(description) => update((f) => ({ ...f, description }))} />
            <View className="field-footer">
              <FieldError errors={errors} path="description" />
              <Text className="description-count">
                {form.description.trim().length}/{LIMITS.description.max}
              </Text>
            </View>
          </View>
          <View className="field field-anonymous">
            <Text className="field-label">举报方式</Text>
            <Chips
              options={[
                { value: 'named', label: '实名举报' },
                { value: 'anonymous', label: '匿名举报' },
              ]}
              value={form.anonymous ? 'anonymous' : 'named'}
              onChange={(v) => update((f) => ({ ...f, anonymous: v === 'anonymous' }))}
            />
            <Text className="hint">实名举报可获知是否立案；举报人信息依法保密。</Text>
          </View>
          {!form.anonymous && contactFields}
        </View>
      )}

      {step.key === 'evidence' && (
        <View className="card">
          <Text className="hint">
            可上传照片、视频{CAN_PICK_DOCUMENTS ? '、PDF 文件' : ''}（如发票、合同、聊天记录截图、商品照片），最多 {LIMITS.evidencePerCase} 个。图片不超过 10 MB，视频不超过 50 MB
            {CAN_PICK_DOCUMENTS ? '，PDF 不超过 20 MB' : ''}。
          </Text>
          <View className="evidence-list">
            {form.evidence.map((e, i) => (
              <View key={e.fileId} className="evidence-item">
                {e.kind === 'image' && e.name ? <Image className="evidence-thumb" src={e.name} mode="aspectFill" /> : <Text className="evidence-kind">{EVIDENCE_KIND_LABELS[e.kind]}</Text>}
                <Text className="evidence-hash">SHA-256 {e.sha256.slice(0, 8)}…</Text>
                <Text className="link" onClick={() => update((f) => ({ ...f, evidence: f.evidence.filter((_, j) => j !== i) }))}>
                  移除
                </Text>
              </View>
            ))}
          </View>
          <View className="evidence-actions">
            <Button className="btn-add-image" size="small" loading={uploading} disabled={form.evidence.length >= LIMITS.evidencePerCase} onClick={() => addEvidence('image')}>
              添加图片
            </Button>
            <Button className="btn-add-video" size="small" disabled={uploading || form.evidence.length >= LIMITS.evidencePerCase} onClick={() => addEvidence('video')}>
              添加视频
            </Button>
            {CAN_PICK_DOCUMENTS && (
              <Button className="btn-add-pdf" size="small" disabled={uploading || form.evidence.length >= LIMITS.evidencePerCase} onClick={() => addEvidence('pdf')}>
                添加 PDF
              </Button>
            )}
          </View>
        </View>
      )}

      {step.key === 'review' && (
        <View className="card review">
          <ReviewRow label={party} value={r.name} />
          {r.creditCode && <ReviewRow label="统一社会信用代码" value={r.creditCode} />}
          <ReviewRow label="地址" value={`${r.regionLabel} ${r.address}`} />
          {kind === 'complaint' && (
            <>
              <ReviewRow label="联系电话" value={form.consumer.phone} />
              <ReviewRow label="消费信息" value={`${BUSINESS_KIND_LABELS[b.kind as 'goods']} · ${findNode(CATEGORY_TREE, b.categoryCode)?.name ?? ''} · ${findNode(PROBLEM_TYPE_TREE, b.problemTypeCode)?.name ?? ''}`} />
              <ReviewRow label="商品或服务" value={`${b.productName}，${b.amountYuan} 元，${b.occurredOn}`} />
              <ReviewRow label="诉求" value={b.demands.map((d) => (d.type === 'other' ? d.text ?? '' : DEMAND_LABELS[d.type as 'refund'])).join('、')} />
            </>
          )}
          {kind === 'report' && <ReviewRow label="举报方式" value={form.anonymous ? '匿名' : '实名'} />}
          <ReviewRow label="证据" value={`${form.evidence.length} 个文件`} />
          <View className="review-description">
            <Text className="result-label">{kind === 'complaint' ? '问题描述' : '举报内容'}</Text>
            <Text className="review-text">{form.description}</Text>
          </View>
          <View className="field field-jurisdiction">
            <Text className="field-label">管辖依据</Text>
            <Chips options={bases.map((v) => ({ value: v, label: JURISDICTION_LABELS[v] }))} value={form.basis} onChange={(basis) => update((f) => ({ ...f, basis: basis as JurisdictionBasis }))} />
            {recommendation && (
              <Text className="recommendation">
                推荐承办部门：{recommendation.bureau.name}
                {recommendation.fallback ? '（该地区暂未收录，先由默认部门接收）' : ''}
              </Text>
            )}
          </View>
        </View>
      )}

      {duplicate && (
        <View className="card duplicate">
          <Text className="error-text">{duplicate}</Text>
          <View className="form-actions">
            <Button className="btn-follow" type="primary" block onClick={() => Taro.redirectTo({ url: '/pages/complaints/index' })}>
              查看已有投诉
            </Button>
            <Button className="btn-file-anyway" block onClick={() => submit(true)}>
              仍要提交新的投诉
            </Button>
          </View>
        </View>
      )}

      {formError && <Text className="error-text form-error">{formError}</Text>}

      <View className="form-actions">
        {step.key === 'review' ? (
          <Button className="btn-submit" type="primary" block size="large" loading={submitting} onClick={() => submit(false)}>
            {submitting ? '正在提交' : `提交${noun}`}
          </Button>
        ) : (
          <Button className="btn-next" type="primary" block size="large" onClick={next}>
            下一步
          </Button>
        )}
        {form.step > 0 && (
          <Button className="btn-back" block onClick={() => goTo(form.step - 1)}>
            上一步
          </Button>
        )}
        {form.step === 0 && (
          <Text className="link switch-kind" onClick={() => Taro.redirectTo({ url: kind === 'complaint' ? '/pages/report-new/index' : '/pages/complaint-new/index' })}>
            {kind === 'complaint' ? '不需要调解，只想举报违法行为？改为举报' : '与商家有消费纠纷、需要调解？改为投诉'}
          </Text>
        )}
      </View>
    </View>
  );
}

function ReviewRow({ label, value }: { label: string; value: string }) {
  return (
    <View className="result-row">
      <Text className="result-label">{label}</Text>
      <Text className="review-value">{value}</Text>
    </View>
  );
}
