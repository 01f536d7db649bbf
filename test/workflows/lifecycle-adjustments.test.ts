/**
 * §4 on the time-skipping server (issue 13): an approved A-5 adjustment changes what was approved (name,
 * objectives, products, host, budget by source, and with the state budget the disbursement cap), shown
 * clause by clause in the contract annex; an A-2 changes the products only; a refused one changes nothing.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, manager, OTHER_HOST, refusedNothingRecorded, researcher, runScenario, toInProgress } from '../support/lifecycle-harness';

let env: TestWorkflowEnvironment;
// A test server of its own for every test: one that keeps its time-skipping lock after a scenario (a
// known hazard of the test server with updates) cannot stall the tests after it.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await env?.teardown();
});

test('A-5, A-2: approved changes take effect (name, objectives, products, host, budget and the disbursement cap) with the annex before and after; A-2 is products only; refused changes nothing', async () => {
  await runScenario(env, 'NV-ADJEFFECT0000001', async (s) => {
    await toInProgress(s, { durationMonths: 24 }); // 1 500 000 000 state budget, 1 000 000 000 disbursed
    const before = await s.state();
    expect(before.funds).toMatchObject({ approvedState: 1_500_000_000, disbursed: 1_000_000_000 });
    // Over the cap before the change.
    expect(await refusedNothingRecorded(s, 'recordDisbursement', { by: manager, amount: 700_000_000 })).toMatchObject({ type: 'PRECONDITION_FAILED', rule: 'L-12' });

    // A-2 may not change the name or the budget (that is A-5, the approver's).
    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-2', description: 'Tăng kinh phí', changes: { stateBudget: 1_800_000_000 } })).toMatchObject({ type: 'ADJUSTMENT_OUT_OF_SCOPE', rule: 'A-2' });
    // A-5 cannot bring the state budget under what was disbursed.
    expect(await refusedNothingRecorded(s, 'requestAdjustment', { by: researcher, kind: 'A-5', description: 'Giảm kinh phí', changes: { stateBudget: 900_000_000 } })).toMatchObject({ type: 'INVALID_COMMAND', rule: 'A-5' });

    // A refused A-5 changes nothing.
    await s.cmd('requestAdjustment', { by: researcher, kind: 'A-5', description: 'Đổi tên nhiệm vụ', changes: { title: 'Tên bị từ chối' } });
    let st = await s.cmd('decideAdjustment', { by: manager, approve: false });
    expect(st.proposal.title).toBe(before.proposal.title);

    // An approved A-5: the new name, objectives, host, products and budget.
    const products = ['02 giống lúa chịu mặn', 'Quy trình canh tác lúa chịu mặn vùng ven sông Vàm Cỏ'];
    await s.cmd('requestAdjustment', {
      by: researcher,
      kind: 'A-5',
      description: 'Mở rộng phạm vi theo ý kiến hội đồng chuyên gia',
      changes: { title: 'Chọn tạo và phát triển giống lúa chịu mặn cho vùng ven sông Vàm Cỏ', objectives: 'Hai giống lúa chịu mặn và quy trình canh tác', products, host: OTHER_HOST, stateBudget: 1_800_000_000, otherSources: 300_000_000 },
    });
    st = await s.cmd('decideAdjustment', { by: manager, approve: true });
    expect(st.stage).toBe('IN_PROGRESS');
    expect(st.proposal).toMatchObject({ title: 'Chọn tạo và phát triển giống lúa chịu mặn cho vùng ven sông Vàm Cỏ', objectives: 'Hai giống lúa chịu mặn và quy trình canh tác' });
    expect(st.approval!.products).toEqual(products);
    expect(st.host).toEqual(OTHER_HOST);
    expect(st.funds).toMatchObject({ approvedState: 1_800_000_000, approvedOther: 300_000_000 });
    // The new cap holds: 700 000 000 more is now within 1 800 000 000.
    st = await s.cmd('recordDisbursement', { by: manager, amount: 700_000_000 });
    expect(st.funds.disbursed).toBe(1_700_000_000);

    // The contract annex shows each clause before and after.
    const annex = [...s.rec.documents].reverse().find((r) => r.snapshot.kind === 'contract_annex')!;
    const changes = (annex.snapshot.subject as { adjustment: { changes: { clause: string; before: string; after: string }[] } }).adjustment.changes;
    expect(changes).toEqual([
      { clause: 'Điều 1. Tên nhiệm vụ', before: before.proposal.title, after: 'Chọn tạo và phát triển giống lúa chịu mặn cho vùng ven sông Vàm Cỏ' },
      { clause: 'Điều 1. Mục tiêu', before: before.proposal.objectives, after: 'Hai giống lúa chịu mặn và quy trình canh tác' },
      expect.objectContaining({ clause: 'Điều 1. Tổ chức chủ trì', before: before.host!.orgName, after: expect.stringContaining(OTHER_HOST.orgName) }),
      { clause: 'Điều 1. Sản phẩm', before: '02 giống lúa chịu mặn', after: products.join('; ') },
      { clause: 'Điều 3. Kinh phí từ ngân sách nhà nước', before: '1.500.000.000 đồng', after: '1.800.000.000 đồng' },
      { clause: 'Điều 3. Kinh phí từ nguồn khác', before: '250.000.000 đồng', after: '300.000.000 đồng' },
    ]);

    // product specifications only (the new host's researcher acts now).
    const otherResearcherOf = { ...researcher, userId: 'u-researcher-2', orgId: OTHER_HOST.orgId, email: OTHER_HOST.pi.email, name: OTHER_HOST.pi.name };
    await s.cmd('requestAdjustment', { by: otherResearcherOf, kind: 'A-2', description: 'Điều chỉnh yêu cầu sản phẩm', changes: { products: ['02 giống lúa chịu mặn (năng suất ≥ 6 tấn/ha)', products[1]!] } });
    st = await s.cmd('decideAdjustment', { by: manager, approve: true });
    expect(st.approval!.products).toEqual(['02 giống lúa chịu mặn (năng suất ≥ 6 tấn/ha)', products[1]]);
    expect(st.funds.approvedState).toBe(1_800_000_000);
  });
}, 180_000);
