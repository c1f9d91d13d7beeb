// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture, loaded only in the test VM: says which memory type (PAT
 * cache mode) a mapping gets, read from its page table entry, so the tests
 * can show what type user mappings and the kernel's mapping of a BAR's
 * pages have.
 *
 *   insmod iopmem_test_pte.ko pid=PID addr=0x7f...   a user mapping
 *   insmod iopmem_test_pte.ko phys=0xd0000000        the kernel's mapping
 *                                                    of that page
 *
 * It logs one line per query ("iopmem_test_pte: ... cache mode WC") and
 * stays loaded until rmmod.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pgtable.h>
#include <linux/sched/mm.h>
#include <asm/pgtable_types.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "process whose mapping at addr to read");

static unsigned long addr;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "user address in that process");

static unsigned long long phys;
module_param(phys, ullong, 0444);
MODULE_PARM_DESC(phys, "physical address whose struct page's kernel mapping to read");

/*
 * The cache mode whose page table bits (as the kernel writes them,
 * cachemode2protval()) an entry's flags carry.
 */
static const char *mode_name(pgprotval_t flags, bool large)
{
	static const struct {
		enum page_cache_mode pcm;
		const char *name;
	} modes[] = {
		{ _PAGE_CACHE_MODE_WB, "WB" }, { _PAGE_CACHE_MODE_WC, "WC" },
		{ _PAGE_CACHE_MODE_UC_MINUS, "UC-" }, { _PAGE_CACHE_MODE_UC, "UC" },
		{ _PAGE_CACHE_MODE_WT, "WT" }, { _PAGE_CACHE_MODE_WP, "WP" },
	};
	pgprotval_t bits;

	if (large)
		flags = pgprot_val(pgprot_large_2_4k(__pgprot(flags)));
	bits = flags & _PAGE_CACHE_MASK;
	for (int i = 0; i < ARRAY_SIZE(modes); i++)
		if (bits == cachemode2protval(modes[i].pcm))
			return modes[i].name;
	return "unknown";
}

/* The entry that maps @va in @mm: its flags, and whether it is a PMD. */
static int user_entry(struct mm_struct *mm, unsigned long va,
		      pgprotval_t *flags, bool *large)
{
	pgd_t *pgd = pgd_offset(mm, va);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (pgd_none(*pgd))
		return -ENOENT;
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d))
		return -ENOENT;
	pud = pud_offset(p4d, va);
	if (pud_none(*pud))
		return -ENOENT;
	pmd = pmd_offset(pud, va);
	if (pmd_none(*pmd))
		return -ENOENT;
	if (pmd_leaf(*pmd)) {
		*flags = pmd_flags(*pmd);
		*large = true;
		return 0;
	}
	/*
	 * Read without the page table lock (its helpers are not exported
	 * everywhere): under mmap_lock, of a process that sleeps holding the
	 * mapping, the entry does not change.
	 */
	pte = pte_offset_kernel(pmd, va);
	if (pte_none(ptep_get(pte)))
		return -ENOENT;
	*flags = pte_flags(ptep_get(pte));
	*large = false;
	return 0;
}

static void query_user(void)
{
	struct task_struct *task;
	struct mm_struct *mm;
	pgprotval_t flags = 0;
	bool large = false;
	int rc;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task) {
		pr_info("iopmem_test_pte: no process %d\n", pid);
		return;
	}
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm) {
		pr_info("iopmem_test_pte: process %d has no memory\n", pid);
		return;
	}
	mmap_read_lock(mm);
	rc = user_entry(mm, addr, &flags, &large);
	mmap_read_unlock(mm);
	mmput(mm);
	if (rc)
		pr_info("iopmem_test_pte: user %#lx of process %d: not mapped\n", addr, pid);
	else
		pr_info("iopmem_test_pte: user %#lx of process %d: cache mode %s (%s entry)\n",
			addr, pid, mode_name(flags, large), large ? "PMD" : "PTE");
}

static void query_kernel(void)
{
	unsigned long va = (unsigned long)page_to_virt(pfn_to_page(PHYS_PFN(phys)));
	unsigned int level;
	pte_t *pte = lookup_address(va, &level);

	if (!pte || !pte_present(*pte)) {
		pr_info("iopmem_test_pte: kernel mapping of %#llx: not mapped\n", phys);
		return;
	}
	pr_info("iopmem_test_pte: kernel mapping of %#llx: cache mode %s\n", phys,
		mode_name(pte_flags(*pte), level != PG_LEVEL_4K));
}

static int __init pte_init(void)
{
	if (pid && addr)
		query_user();
	if (phys && pfn_valid(PHYS_PFN(phys)))
		query_kernel();
	else if (phys)
		pr_info("iopmem_test_pte: %#llx has no struct page\n", phys);
	return 0;
}

static void __exit pte_exit(void)
{
}

module_init(pte_init);
module_exit(pte_exit);
MODULE_DESCRIPTION("iopmem test fixture: the memory type of a mapping");
MODULE_LICENSE("GPL");
