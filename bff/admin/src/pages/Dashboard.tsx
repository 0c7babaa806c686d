/** 统计看板: where cases concentrate, which are late, how fast the bureau works, and hotspots. */
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, App, Button, Card, Cascader, Col, DatePicker, Empty, Row, Segmented, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { FireOutlined } from '@ant-design/icons';
import { api, type Hotspot, type Insight, type RegionOption } from '../api';
import { useAuth } from '../auth';
import { useLoad } from '../useLoad';
import { formatTime } from '../format';
import { barOption, Chart, lineOption, pieOption } from '../components/Chart';

const PRESETS = [
  { label: '近7天', value: 7 },
  { label: '近30天', value: 30 },
  { label: '近90天', value: 90 },
  { label: '近一年', value: 365 },
] as const;

/** Today in Beijing, where cases are dated, whatever the browser's zone. */
const beijingToday = () => dayjs().tz('Asia/Shanghai').format('YYYY-MM-DD');
const daysBack = (n: number) => dayjs(beijingToday()).subtract(n - 1, 'day').format('YYYY-MM-DD');

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const days = (v: number | null) => (v === null ? '—' : `${v} 个工作日`);

interface CascaderOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: CascaderOption[];
}
const toOption = (r: RegionOption): CascaderOption => ({ value: r.code, label: r.name, isLeaf: r.level === 'county' });

/** Region picker limited to the viewer's region: its provinces, cities and counties below. */
function RegionPicker({ root, onChange }: { root: string; onChange: (region: string | undefined) => void }) {
  const [options, setOptions] = useState<CascaderOption[]>([]);
  useEffect(() => {
    api.regions(root || undefined).then((items) => setOptions(items.map(toOption)), () => setOptions([]));
  }, [root]);
  async function loadData(path: CascaderOption[]) {
    const target = path[path.length - 1];
    target.children = (await api.regions(target.value)).map(toOption);
    setOptions((o) => [...o]);
  }
  return (
    <Cascader
      className="insight-region"
      options={options}
      loadData={(p) => void loadData(p as CascaderOption[])}
      changeOnSelect
      allowClear
      placeholder={root ? '辖区全部' : '全国'}
      style={{ width: 260 }}
      onChange={(value) => onChange(value?.length ? String(value[value.length - 1]) : undefined)}
    />
  );
}

function Hotspots({ items, canMark, region, onMarked }: { items: Hotspot[]; canMark: boolean; region?: string; onMarked: () => void }) {
  const { message } = App.useApp();
  async function mark(h: Hotspot) {
    try {
      await api.markHotspotSeen({ kind: h.kind, key: h.key, ...(region ? { region } : {}) });
      message.success('已标记为已查看');
      onMarked();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }
  if (!items.length) return <Empty description="近7日没有明显高于常态的经营者或类别" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Table<Hotspot>
      className="insight-hotspots"
      size="small"
      rowKey={(h) => `${h.kind}:${h.key}`}
      pagination={false}
      dataSource={items}
      columns={[
        { title: '类型', dataIndex: 'kind', width: 90, render: (k: Hotspot['kind']) => <Tag color={k === 'respondent' ? 'volcano' : 'orange'}>{k === 'respondent' ? '经营者' : '类别'}</Tag> },
        { title: '名称', dataIndex: 'label' },
        { title: '近7日', dataIndex: 'recent', width: 90, render: (n: number) => <strong>{n} 件</strong> },
        { title: '常态（每7日）', dataIndex: 'usual', width: 120, render: (n: number) => `${n} 件` },
        {
          title: '状态',
          width: 220,
          render: (_: unknown, h) =>
            h.seen ? (
              <Typography.Text type="secondary" className="hotspot-seen">
                {h.seen.by} 已于 {formatTime(h.seen.at)} 查看
              </Typography.Text>
            ) : canMark ? (
              <Button size="small" className="hotspot-mark" onClick={() => void mark(h)}>
                标记已查看
              </Button>
            ) : (
              <Tag color="red">未查看</Tag>
            ),
        },
      ]}
    />
  );
}

/** One figure on a card: a title, the value, and a line of detail under it. */
function Kpi(props: { title: string; value: string | number; suffix?: ReactNode; note?: ReactNode; className?: string; danger?: boolean }) {
  return (
    <Col xs={12} md={6}>
      <Card size="small">
        <Statistic
          title={props.title}
          value={props.value}
          suffix={props.suffix}
          className={props.className}
          styles={{ content: { color: props.danger ? '#cf1322' : undefined, fontSize: typeof props.value === 'string' && props.value.length > 8 ? 18 : undefined } }}
        />
        {props.note && <Typography.Text type="secondary">{props.note}</Typography.Text>}
      </Card>
    </Col>
  );
}

function Figures({ data }: { data: Insight }) {
  const t = data.totals;
  return (
    <Row gutter={[16, 16]} className="insight-kpis">
      <Kpi title="收到件数" value={t.received} className="kpi-received" suffix={<small>件（投诉 {t.complaints} · 举报 {t.reports}）</small>} />
      <Kpi title="其中仍在办理" value={t.open} suffix="件" />
      <Kpi title="当前超期" value={t.overdueNow} suffix="件" danger={t.overdueNow > 0} />
      <Kpi title="超期率（曾超过法定期限）" value={percent(t.overdueRate)} className="kpi-overdue-rate" note={`${t.late} 件曾超期`} />
      <Kpi
        title="作出受理决定用时 · 中位数"
        value={days(data.toDecision.median)}
        note={`90% 在 ${days(data.toDecision.p90)} 内（${data.toDecision.count} 件）`}
      />
      <Kpi title="办结用时 · 中位数" value={days(data.toClosure.median)} note={`90% 在 ${days(data.toClosure.p90)} 内（${data.toClosure.count} 件）`} />
      <Kpi
        title="调解成功率"
        value={percent(data.mediation.successRate)}
        className="kpi-mediation"
        note={`达成协议 ${data.mediation.agreed} 件 · 终止调解 ${data.mediation.ended} 件`}
      />
      <Kpi title="统计范围" value={data.scope.label} note={`${data.period.from} 至 ${data.period.to}`} />
    </Row>
  );
}

export default function Dashboard() {
  const { staff } = useAuth();
  const [preset, setPreset] = useState<number | 'custom'>(30);
  const [range, setRange] = useState<[string, string]>([daysBack(30), beijingToday()]);
  const [region, setRegion] = useState<string>();
  const [reload, setReload] = useState(0);
  const { data, error, loading } = useLoad(() => api.insight({ from: range[0], to: range[1], region }), [range[0], range[1], region, reload]);

  function choosePreset(v: number | 'custom') {
    setPreset(v);
    if (v !== 'custom') setRange([daysBack(v), beijingToday()]);
  }
  const scopeRoot = staff?.role === 'admin' ? '' : staff?.regionPrefix ?? '';
  const regionPickable = staff?.role !== 'handler' && scopeRoot.length < 6;
  const queueLink = `/cases?from=${range[0]}&to=${range[1]}${region ? `&region=${region}` : ''}`;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} className="insight-page">
      <Card size="small">
        <Space wrap size="middle">
          <Typography.Title level={4} style={{ margin: 0 }}>
            统计看板
          </Typography.Title>
          <Segmented
            className="insight-period"
            value={preset}
            onChange={(v) => choosePreset(v as number | 'custom')}
            options={[...PRESETS.map((p) => ({ label: p.label, value: p.value })), { label: '自定义', value: 'custom' }]}
          />
          {preset === 'custom' && (
            <DatePicker.RangePicker
              className="insight-range"
              allowClear={false}
              value={[dayjs(range[0]), dayjs(range[1])]}
              disabledDate={(d: Dayjs) => d.isAfter(dayjs(beijingToday()))}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
            />
          )}
          {regionPickable && <RegionPicker root={scopeRoot} onChange={setRegion} />}
          <Link to={queueLink}>在案件列表中查看并导出</Link>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error} />}
      {!data ? (
        <Spin size="large" />
      ) : (
        <Spin spinning={loading}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Figures data={data} />
            <Card
              size="small"
              title={
                <span>
                  <FireOutlined style={{ color: '#fa541c' }} /> 热点（近7日明显高于常态）
                </span>
              }
            >
              <Hotspots items={data.hotspots} canMark={staff?.role === 'supervisor'} region={region} onMarked={() => setReload((n) => n + 1)} />
            </Card>
            <Card size="small" title="每日收到件数">
              <Chart option={lineOption(data.perDay)} className="chart-per-day" />
            </Card>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <Card size="small" title="案件状态">
                  <Chart option={pieOption(data.byStatus)} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title="购买渠道">
                  <Chart option={pieOption(data.byChannel)} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title="商品与服务类别（前10）">
                  <Chart option={barOption(data.byCategory)} height={320} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title="问题类型（前10）">
                  <Chart option={barOption(data.byProblemType)} height={320} />
                </Card>
              </Col>
              {data.scope.level !== 'bureau' && (
                <Col xs={24} lg={12}>
                  <Card size="small" title="区县分布（前15）">
                    <Chart option={barOption(data.byCounty, 15)} height={360} />
                  </Card>
                </Col>
              )}
              <Col xs={24} lg={data.scope.level !== 'bureau' ? 12 : 24}>
                <Card size="small" title="被投诉举报最多的经营者">
                  <Table
                    className="insight-respondents"
                    size="small"
                    rowKey="key"
                    pagination={false}
                    dataSource={data.topRespondents}
                    columns={[
                      { title: '#', width: 48, render: (_: unknown, __: unknown, i: number) => i + 1 },
                      { title: '经营者', dataIndex: 'label' },
                      { title: '件数', dataIndex: 'count', width: 90 },
                    ]}
                  />
                </Card>
              </Col>
            </Row>
            <Typography.Text type="secondary" className="insight-source">
              数据来自按日累计的统计（读取 {data.source.documents} 份日统计，服务端用时 {data.source.ms} 毫秒）。用时按工作日计算，节假日与调休依国务院安排。
            </Typography.Text>
          </Space>
        </Spin>
      )}
    </Space>
  );
}
